"""Shell completion through click: each shell's script, and completion requests, from the
installed command (the masked output streams must let click write bytes)."""

from __future__ import annotations

import os
import subprocess

import pytest

from .conftest import COMMAND, EXAMPLES, no_traceback

SHELLS = {
    "bash": "complete -o nosort -F _actito_iac_completion actito-iac",
    "zsh": "#compdef actito-iac",
    "fish": "complete --no-files --command actito-iac",
}


def complete(instruction: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ACTITO_", "GITHUB_"))}
    return subprocess.run(
        [str(COMMAND)],
        cwd=EXAMPLES,
        env={**base, **env, "_ACTITO_IAC_COMPLETE": instruction},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_each_shell_gets_its_script(shell: str) -> None:
    result = complete(f"{shell}_source")
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    assert result.stderr == ""
    assert SHELLS[shell] in result.stdout
    assert "_ACTITO_IAC_COMPLETE" in result.stdout


@pytest.mark.parametrize(
    ("shell", "env", "expected"),
    [
        ("bash", {"COMP_WORDS": "actito-iac pl", "COMP_CWORD": "1"}, "plain,plan\n"),
        # zsh and fish also show each command's help.
        ("zsh", {"COMP_WORDS": "actito-iac pl", "COMP_CWORD": "1"}, "plain\nplan\nRead the live"),
        ("fish", {"COMP_WORDS": "actito-iac pl", "COMP_CWORD": "pl"}, "plain,plan\tRead the live"),
    ],
)
def test_each_shell_completes_a_command(shell: str, env: dict[str, str], expected: str) -> None:
    result = complete(f"{shell}_complete", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(expected)


def test_options_and_environments_complete() -> None:
    formats = complete("bash_complete", COMP_WORDS="actito-iac plan --format ", COMP_CWORD="3")
    assert formats.stdout.split() == ["plain,human", "plain,json", "plain,markdown"]
    envs = complete("bash_complete", COMP_WORDS="actito-iac apply --env ", COMP_CWORD="3")
    assert envs.stdout.split() == ["plain,local", "plain,production"]  # examples/actito-iac.yaml


def test_bash_loads_the_script_and_completes_with_it() -> None:
    script = (
        f'PATH="{COMMAND.parent}:$PATH"\n'
        'eval "$(_ACTITO_IAC_COMPLETE=bash_source actito-iac)"\n'
        "COMP_WORDS=(actito-iac ex); COMP_CWORD=1\n"
        "_actito_iac_completion actito-iac\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["export"]
