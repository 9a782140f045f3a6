"""A local ACTITO: a real HTTP API with SQLite persistence, for demos, tests and first runs.

It is the executable statement of what we believe of the ACTITO API (docs/api.md): whatever it
does that ACTITO's documentation does not say is marked `# [INFER]` where it is done.

    store.py             SQLite: entities, objects as JSON by (entity, kind, id), counters
    row_store.py         the rows of tables (profiles, records) and their indexed values
    attribute_rules.py   what both table families share: names, value types, restrictions
    rules.py             custom-table definitions, on create and on change request
    profile_rules.py     profile-table definitions;  profile_parts.py  subscriptions, segmentations
    link_rules.py        foreign keys;  option_rules.py  events, cleaning rules, display options
    data_rules.py        structure changes measured against the rows already held
    row_rules.py         write-time checks of one row's values
    structures.py        table structures over the store (both families), used by API and seed
    profiles.py          profile writes and reads;  memberships.py  segmentation memberships
    records.py           custom-table record writes, reads and deletes
    seed.py              seed documents (YAML file or JSON) → entities, tables, rows;
    seed_document.py     … and the shape of such a document
    tokens.py            API key → access token exchange and expiry
    faults.py            scripted failures and delays
    state.py             run-time state: store, tokens, faults, request log, in-flight count
    gate.py              per-request pipeline: log, concurrency limit, faults, 401, 406
    routing.py           what route modules share: one route per path, entity lookup, errors
    api_routes.py        token, entities;  structure_routes.py  table structures;
    data_routes.py       profiles and records;  admin_routes.py  the `/__emulator__/` surface
    json_http.py         JSON bodies in, the error body out
    app.py               `create_app(store, api_keys=…)`
    server.py            `serve(…)` in the foreground, `running_server(app)` in a thread
    transport.py         `in_process_transport(app)` for httpx, no sockets
    command.py           the `emulator serve` command
"""
