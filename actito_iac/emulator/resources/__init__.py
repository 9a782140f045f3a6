"""The generic resource: list (with wrapper and paging), get, create, update, delete of one
kind of object, checked by that kind's rules module."""
