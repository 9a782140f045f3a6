"""Table structures, both families: definition rules on create and change request, links,
events, cleaning rules, display options, and their routes."""
