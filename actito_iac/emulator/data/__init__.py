"""The data of tables: profiles and records, their routes, the row store, and the checks of
structure changes against the rows already held."""
