"""A local ACTITO: a real HTTP API with SQLite persistence, for demos, tests and first runs.

It is the executable statement of what we believe of the ACTITO API (docs/api.md): whatever it
does that ACTITO's documentation does not say is marked `# [INFER]` where it is done.

    store.py             SQLite: entities, objects as JSON by (entity, kind, id), counters
    problems.py          how a refused request says why (RuleError → 400, NotFound → 404)
    resources/           the generic CRUD resource (crud.py: list with wrapper and paging, get,
                         create with id generation, PUT/PATCH per ACTITO's protocol page,
                         delete) and its registry, one line per kind
    <category>/          one rules module per CRUD kind, which also declares its resource's
                         settings (paths, wrapper, paging, update method, create answer)
    structures/          table structures, both families: attribute_rules, custom_table_rules,
                         profile_rules, profile_parts, link_rules, option_rules; tables.py
                         (the checks that need the store), routes.py
    data/                profiles and records: routes, profiles, records, memberships,
                         row_store (rows and their indexed values), row_rules (one row's
                         values), change_rules (structure changes against the rows held)
    seed.py              seed documents (YAML file or JSON) → entities, tables, rows, and the
    seed_document.py     objects of every CRUD resource; … and the shape of such a document
    tokens.py            API key → access token exchange and expiry
    faults.py            scripted failures and delays
    pace.py              how fast it answers: a latency, and ACTITO's throttle past its rate
    state.py             run-time state: store, tokens, faults, request log, in-flight count,
                         the counts a benchmark reads (stats)
    gate.py              per-request pipeline: log, concurrency limit, faults, 401, 406
    routing.py           what route modules share: one route per path, entity lookup, errors
    api_routes.py        token, entities, and every resource's routes
    admin_routes.py      the `/__emulator__/` surface;  ui_routes.py  what only the UI does
    json_http.py         JSON bodies in, the error body out
    app.py               `create_app(store, api_keys=…)`
    server.py            `serve(…)` in the foreground, `running_server(app)` in a thread
    transport.py         `in_process_transport(app)` for httpx, no sockets
    command.py           the `emulator serve` command

Adding a kind the API serves as plain CRUD: its rules module (with its `Resource`) in a
sub-folder, and one line in `resources/registry.py`; seeds and `/__emulator__/state` follow.
"""
