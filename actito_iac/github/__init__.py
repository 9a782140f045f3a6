"""The GitHub Action's logic: `action.yml` (repository root) runs `python -m actito_iac.github run`.

Kept in Python rather than in the action's shell so that it is typed, tested against the
emulator and a fake GitHub API, and so that no input is ever interpolated into a script.

Modules: `inputs` (what the action step passes, and every environment variable read here),
`outputs` (step outputs and workflow commands), `comment` (the sticky pull-request comment),
`action` (running the CLI and putting it together).
"""
