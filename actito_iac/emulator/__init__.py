"""A local ACTITO: a real HTTP API with SQLite persistence, for demos, tests and first runs.

It is the executable statement of what we believe of the ACTITO API (docs/api.md): whatever it
does that ACTITO's documentation does not say is marked `# [INFER]` where it is done.

    store.py         SQLite: entities, and every other object as JSON by (entity, kind, id)
    rules.py         custom-table definition checks, on create and on change request
    seed.py          seed documents (YAML file or JSON) → entities and tables
    tokens.py        API key → access token exchange and expiry
    faults.py        scripted failures and delays
    state.py         run-time state: store, tokens, faults, request log, in-flight count
    gate.py          per-request pipeline: log, concurrency limit, faults, 401, 406
    api_routes.py    the ACTITO routes;  admin_routes.py  the `/__emulator__/` surface
    json_http.py     JSON bodies in, the error body out
    app.py           `create_app(store, api_keys=…)`
    server.py        `serve(…)` in the foreground, `running_server(app)` in a thread
    transport.py     `in_process_transport(app)` for httpx, no sockets
    command.py       the `emulator serve` command
"""
