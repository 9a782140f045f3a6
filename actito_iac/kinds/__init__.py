"""One module per kind of ACTITO object; `registry.py` lists them (one line each).

Importing this package loads nothing else: code that needs every kind imports the registry.
"""
