"""The project file and the connection a run uses; keys never in files nor in messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from actito_iac.errors import ConfigError, ManifestError
from actito_iac.manifest.project import (
    PROJECT_FILE,
    Environment,
    Project,
    find_project,
    load_project,
    resolve_connection,
)
from actito_iac.secrets import Secret

from .conftest import Write, place

PROJECT = """\
# yaml-language-server: $schema=schemas/project.schema.json
manifests: [manifests, extra/one.yaml]
defaultEnvironment: local
environments:
  local:
    apiUrl: http://127.0.0.1:8787
  production:
    apiUrl: https://api3.actito.com
    apiKeyEnv: ACTITO_PROD_API_KEY
"""

KEY = "k-3a7f-very-secret"


def two_environments(default: str | None = "local") -> Project:
    return Project(
        root=Path("."),
        manifests=[Path("manifests")],
        environments={
            "local": Environment("http://127.0.0.1:8787"),
            "production": Environment("https://api3.actito.com", "ACTITO_PROD_API_KEY"),
        },
        default_environment=default,
    )


def load_problems(path: Path) -> list[str]:
    with pytest.raises(ManifestError) as info:
        load_project(path)
    return [str(d) for d in info.value.diagnostics]


# -- loading ----------------------------------------------------------------------------------


def test_load_resolves_manifests_against_the_file_folder(write: Write, workdir: Path) -> None:
    path = write("repo/actito-iac.yaml", PROJECT)

    project = load_project(path)

    assert project.root == Path("repo")
    assert project.manifests == [Path("repo/manifests"), Path("repo/extra/one.yaml")]
    assert project.default_environment == "local"
    assert project.environments == {
        "local": Environment("http://127.0.0.1:8787", "ACTITO_API_KEY"),
        "production": Environment("https://api3.actito.com", "ACTITO_PROD_API_KEY"),
    }


def test_an_empty_project_file_means_the_defaults(write: Write) -> None:
    project = load_project(write(PROJECT_FILE, "# nothing yet\n"))

    assert project.manifests == [Path("manifests")]
    assert project.environments == {}
    assert project.default_environment is None


def test_an_api_key_in_the_file_is_refused_without_echoing_it(write: Write) -> None:
    text = PROJECT.replace("8787\n", f"8787\n    apiKey: {KEY}\n")
    path = write(PROJECT_FILE, text)

    (problem,) = load_problems(path)

    line, column = place(text, "apiKey:")
    assert problem.startswith(f"{PROJECT_FILE}:{line}:{column}: error: environments.local.apiKey:")
    assert "API keys never live in files" in problem
    assert "apiKeyEnv" in problem
    assert KEY not in problem


def test_an_api_key_at_the_top_level_is_refused_too(write: Write) -> None:
    (problem,) = load_problems(write(PROJECT_FILE, f"api_key: {KEY}\n"))

    assert "field 'api_key' is not allowed: API keys never live in files" in problem
    assert KEY not in problem


def test_project_file_problems_are_all_reported_at_their_lines(write: Write) -> None:
    text = """\
manifests: []
defaultEnvironment: staging
environments:
  local: {apiUrl: "", apiKeyEnv: 1BAD}
  production: {apiUrl: https://api3.actito.com, apiKeyEnv: OK}
"""
    problems = load_problems(write(PROJECT_FILE, text))

    assert problems == [
        "actito-iac.yaml:1:12: error: manifests: must have at least 1 item(s), got an empty list",
        "actito-iac.yaml:4:19: error: environments.local.apiUrl: must not be empty",
        "actito-iac.yaml:4:34: error: environments.local.apiKeyEnv: '1BAD' is not valid: "
        "expected an environment variable name: letters, digits and underscores, "
        "no leading digit",
    ]


def test_an_unknown_default_environment_lists_the_defined_ones(write: Write) -> None:
    text = PROJECT.replace("defaultEnvironment: local", "defaultEnvironment: staging")

    assert load_problems(write(PROJECT_FILE, text)) == [
        "actito-iac.yaml:3:21: error: defaultEnvironment: unknown environment 'staging' "
        "(defined environments: local, production)"
    ]


def test_project_file_syntax_errors_and_documents(write: Write) -> None:
    assert load_problems(write("a.yaml", "manifests: [\n"))[0].startswith(
        "a.yaml:2:1: error: YAML syntax error"
    )
    assert load_problems(write("b.yaml", "manifests: [m]\n---\nmanifests: [n]\n")) == [
        "b.yaml: error: a project file holds one YAML document, not 2"
    ]
    assert load_problems(write("c.yaml", "- manifests\n")) == [
        "c.yaml: error: a project file is a mapping (manifests, defaultEnvironment, environments)"
    ]
    assert load_problems(Path("missing.yaml"))[0].startswith(
        "missing.yaml: error: cannot read the file"
    )


# -- finding ----------------------------------------------------------------------------------


def test_find_project_walks_up_to_the_git_root(write: Write, workdir: Path) -> None:
    write("repo/.git/HEAD", "ref: refs/heads/main\n")
    write("repo/actito-iac.yaml", PROJECT)
    (workdir / "repo/manifests/b2c").mkdir(parents=True)

    assert find_project(Path("repo/manifests/b2c")) == workdir / "repo" / PROJECT_FILE
    assert find_project(workdir / "repo") == workdir / "repo" / PROJECT_FILE


def test_find_project_stops_at_the_git_root(write: Write, workdir: Path) -> None:
    write("actito-iac.yaml", PROJECT)  # above the repository: not this repository's
    write("repo/.git/HEAD", "ref: refs/heads/main\n")
    (workdir / "repo/sub").mkdir(parents=True)

    assert find_project(workdir / "repo/sub") is None


# -- connecting -------------------------------------------------------------------------------


def test_the_default_environment_and_its_key_variable() -> None:
    connection = resolve_connection(two_environments(), None, {"ACTITO_API_KEY": KEY})

    assert (connection.environment, connection.api_url) == ("local", "http://127.0.0.1:8787")
    assert connection.api_key == Secret(KEY)
    assert connection.key_from == "ACTITO_API_KEY"


def test_a_named_environment_reads_its_own_key_variable() -> None:
    environ = {"ACTITO_PROD_API_KEY": KEY}

    connection = resolve_connection(two_environments(), "production", environ)

    assert (connection.environment, connection.api_url) == ("production", "https://api3.actito.com")
    assert connection.api_key.reveal() == KEY
    assert connection.key_from == "ACTITO_PROD_API_KEY"


def test_the_only_environment_needs_no_default() -> None:
    project = Project(Path("."), [], {"only": Environment("https://x.example")}, None)

    connection = resolve_connection(project, None, {"ACTITO_API_KEY": KEY})

    assert connection.environment == "only"


def test_url_and_key_overrides_win_for_one_off_runs() -> None:
    environ = {
        "ACTITO_API_URL": "http://127.0.0.1:9999",
        "ACTITO_API_KEY": "one-off",
        "ACTITO_PROD_API_KEY": KEY,
    }

    connection = resolve_connection(two_environments(), "production", environ)

    assert connection.environment == "production"
    assert connection.api_url == "http://127.0.0.1:9999"
    assert connection.api_key.reveal() == "one-off"
    assert connection.key_from == "ACTITO_API_KEY"


def test_no_project_file_at_all_with_the_overrides() -> None:
    environ = {"ACTITO_API_URL": "http://127.0.0.1:9999", "ACTITO_API_KEY": KEY}

    connection = resolve_connection(None, None, environ)

    assert (connection.environment, connection.api_url) == ("default", "http://127.0.0.1:9999")
    assert connection.api_key.reveal() == KEY


def test_the_call_rate_comes_from_the_environment_or_its_override(tmp_path: Path) -> None:
    (tmp_path / "actito-iac.yaml").write_text(
        "environments:\n  big: {apiUrl: 'https://api3.actito.com', callsPerMinute: 300}\n"
        "  plain: {apiUrl: 'https://api3.actito.com'}\n"
    )
    project = load_project(tmp_path / "actito-iac.yaml")
    environ = {"ACTITO_API_KEY": KEY}
    assert resolve_connection(project, "big", environ).calls_per_minute == 300
    assert resolve_connection(project, "plain", environ).calls_per_minute == 100
    assert resolve_connection(None, None, {**environ, "ACTITO_API_URL": "http://127.0.0.1:1"})
    override = {**environ, "ACTITO_CALLS_PER_MINUTE": "0"}
    assert resolve_connection(project, "big", override).calls_per_minute == 0
    for given in ("lots", "²"):  # '²' passes str.isdigit and fails int()
        with pytest.raises(ConfigError, match="ACTITO_CALLS_PER_MINUTE must be a whole number"):
            resolve_connection(project, "big", {**environ, "ACTITO_CALLS_PER_MINUTE": given})


@pytest.mark.parametrize(
    ("project", "env_name", "environ", "message"),
    [
        (
            two_environments(),
            "staging",
            {},
            "unknown environment 'staging' (defined environments: local, production)",
        ),
        (
            None,
            "staging",
            {},
            "unknown environment 'staging': no project file (actito-iac.yaml) was found",
        ),
        (
            two_environments(default=None),
            None,
            {"ACTITO_API_KEY": KEY},
            "several environments (local, production) and no default: choose one with "
            "--env NAME, or set defaultEnvironment in the project file",
        ),
        (
            None,
            None,
            {"ACTITO_API_KEY": KEY},
            "no API URL for environment 'default': set ACTITO_API_URL, or name the licences "
            "in a project file (actito-iac.yaml, environments.<name>.apiUrl)",
        ),
        (
            two_environments(),
            "production",
            {"ACTITO_PROD_API_KEY": ""},
            "no API key for environment 'production': the environment variable "
            "ACTITO_PROD_API_KEY is not set (or ACTITO_API_KEY for a one-off run)",
        ),
        (
            None,
            None,
            {"ACTITO_API_URL": "http://127.0.0.1:1"},
            "no API key for environment 'default': the environment variable "
            "ACTITO_API_KEY is not set",
        ),
    ],
)
def test_connection_errors_are_clear(
    project: Project | None, env_name: str | None, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_connection(project, env_name, environ)

    assert str(info.value) == message
    assert KEY not in str(info.value)


def test_a_connection_never_prints_its_key() -> None:
    connection = resolve_connection(two_environments(), None, {"ACTITO_API_KEY": KEY})

    assert KEY not in repr(connection)
    assert KEY not in str(connection)


def test_a_project_loaded_from_its_file_connects(write: Write) -> None:
    project = load_project(write(PROJECT_FILE, PROJECT))

    connection = resolve_connection(project, None, {"ACTITO_API_KEY": KEY})

    assert (connection.environment, connection.api_url) == ("local", "http://127.0.0.1:8787")
