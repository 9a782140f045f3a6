"""`make bench`: plan and apply against an emulator that answers like a distant ACTITO, at
three sizes, and how each compares with the bound ACTITO's limits set.

Not a test: timings are figures, not assertions. It fails (exit 1) only where the design is at
stake: a run that made more calls than the minimum, or had more than 5 requests in flight.

For each size (custom tables of ten attributes, plus one profile table per hundred) the
emulator runs in its own process with a latency of 50 ms per call, and the command runs as a
user runs it (`actito-iac plan` / `apply --auto-approve`, a process of its own):

    plan    in sync, 10% drift (safe updates), 10% risky (each risky table's rows are read)
    apply   from empty (every table created), 10% update (re-read, then change, each)

and, at the smallest size, the same with ACTITO's throttle on (answers slow down past 100
calls a minute; the client paces itself under it). Per run: calls made and the minimum, the
most in flight, 429s, the time from the first call to the last answer, the bound, their ratio,
the command's CPU time (user + system) and its peak memory. Then planning the largest size
without the network (the licence's answers already in memory): CPU and peak memory.

The bound: dependency rounds x latency — the token, then every list at once, then the lists
read per listed object (scenarios per profile table), then the rows of risky tables, then the
writes, at most 5 in flight (an update is two calls: the re-read before the write, then the
write) — or, with the throttle on, as many minutes as it takes to make the calls at 100 a
minute, whichever is longer.

    .venv/bin/python benchmarks/bench.py                  # 100, 1,000, 10,000 tables
    .venv/bin/python benchmarks/bench.py --sizes 50,200   # a quick look
    .venv/bin/python benchmarks/bench.py --readme         # also rewrite README's table
    .venv/bin/python benchmarks/bench.py --repeat 3       # each scenario 3 times: medians

The same figures for one command line: `/usr/bin/time -v actito-iac plan` (CPU, peak memory).
"""

from __future__ import annotations

import argparse
import compileall
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from licence import ENTITY, Licence, seed, write_manifests

from actito_iac.kinds.registry import KINDS

KINDS_LISTED = sum(1 for k in KINDS if not k.endpoints.within)
"""One list call per kind of the entity (each list of the generated licence fits one answer)."""
LISTED_WITHIN = [k.endpoints.within for k in KINDS if k.endpoints.within]
"""The parent kind of each kind listed per object of another (scenarios per profile table):
one call per parent object, once the parents' list is read."""

ROOT = Path(__file__).resolve().parents[1]
COMMAND = Path(sys.executable).with_name("actito-iac")
KEY = "bench-key"
LATENCY = 0.05
IN_FLIGHT = 5
RATE = 100  # ACTITO's calls a minute
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass
class Row:
    size: int
    scenario: str
    throttled: bool
    calls: int
    minimum: int
    peak: int
    refused: int
    span: float
    bound: float
    cpu: float
    wall: float
    peak_mib: float
    exit_code: int

    @property
    def ok(self) -> bool:
        return self.calls <= self.minimum and self.peak <= IN_FLIGHT and self.exit_code in (0, 2)

    def cells(self) -> list[str]:
        ratio = self.span / self.bound if self.bound else 0.0
        return [
            f"{self.size:,} tables",
            self.scenario + (" (throttled)" if self.throttled else ""),
            f"{self.calls:,} / {self.minimum:,}",
            str(self.peak),
            str(self.refused),
            f"{self.span:.2f} s",
            f"{self.bound:.2f} s",
            f"{ratio:.2f}×",
            f"{self.cpu:.2f} s",
            f"{self.peak_mib:.0f} MiB",
        ]


HEADER = [
    "licence", "run", "calls / minimum", "max in flight", "429s", "first call → last answer",
    "bound", "ratio", "CPU (command)", "peak memory",
]  # fmt: skip


class Emulator:
    """`actito-iac emulator serve` in a process of its own (its CPU is not the command's)."""

    def __init__(self, throttle: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-emulator-"))
        ready = self.folder / "url"
        args = [str(COMMAND), "emulator", "serve", "--port", "0", "--api-key", KEY]
        args += ["--latency", str(LATENCY), "--ready-file", str(ready)]
        if throttle:
            args += ["--throttle", str(throttle)]
        # Its log goes to a file: a pipe nobody reads would fill and stall it mid-benchmark.
        self.log = self.folder / "emulator.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 30
        while not ready.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                said = self.log.read_text(errors="replace").strip()[-2000:]
                self.stop()
                raise SystemExit(f"the emulator did not start:\n{said}")
            time.sleep(0.05)
        self.url = ready.read_text().strip()

    def admin(self, method: str, what: str, body: Any = None) -> Any:
        data = json.dumps(body if body is not None else {}).encode()
        request = urllib.request.Request(  # noqa: S310 (the emulator, on loopback)
            f"{self.url}/__emulator__/{what}",
            data=data if method != "GET" else None,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310 (loopback)
            return json.loads(answer.read() or b"null")

    def load(self, document: dict[str, Any]) -> None:
        self.admin("POST", "reset")
        self.admin("POST", "seed", document)
        self.admin("DELETE", "stats")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


def project(folder: Path, url: str, throttled: bool) -> None:
    rate = RATE if throttled else 0
    (folder / "actito-iac.yaml").write_text(
        "manifests: [manifests]\ndefaultEnvironment: bench\nenvironments:\n"
        f"  bench: {{apiUrl: '{url}', callsPerMinute: {rate}}}\n",
        encoding="utf-8",
    )


# The command is started by this small process, which reports its resource use. Started by the
# benchmark itself, the command's peak memory would be the benchmark's own size at least: a
# child's peak counts the memory of the process it was forked from (the kernel's accounting
# carries it across exec), and the benchmark holds licences of 10,000 tables.
_LAUNCHER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    json.dump([os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss / 1024], report)
"""


def run_command(folder: Path, *args: str) -> tuple[int, float, float, float]:
    """(exit code, CPU seconds, wall seconds, peak MiB) of one command, its own process."""
    env = {**os.environ, "ACTITO_API_KEY": KEY, "NO_COLOR": "1"}
    env = {k: v for k, v in env.items() if not k.startswith("GITHUB_")}
    report = folder / ".usage.json"
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(report), str(COMMAND), *args],
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    wall = time.monotonic() - started
    code, cpu, peak = json.loads(report.read_text())
    if code not in (0, 2):
        sys.stderr.write(process.stderr.decode(errors="replace")[-2000:])
    return code, cpu, wall, peak


def latency_bound(reads: int, within: int, samples: int, creates: int, updates: int) -> float:
    # The token, then every list at once; the lists under each listed parent wait for the
    # parents' list, and may take the places the first lists leave free.
    lists = math.ceil((reads + within) / IN_FLIGHT)
    rounds = 1 + (max(lists, 2) if within else lists)
    rounds += math.ceil(samples / IN_FLIGHT)
    writes = creates + 2 * updates
    if writes:
        rounds += max(math.ceil(writes / IN_FLIGHT), 2 if updates else 1)
    return rounds * LATENCY


def rate_bound(calls: int) -> float:
    """No more than RATE calls begin in any minute [DOC], so call n (from 0) begins no earlier
    than minute n // RATE: 208 calls take two full minutes and a latency."""
    return (calls - 1) // RATE * 60 + LATENCY if calls else 0.0


def scenario(
    emulator: Emulator,
    size: int,
    name: str,
    *,
    live: Licence,
    wanted: Licence,
    apply: bool,
    throttled: bool,
) -> Row:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        write_manifests(wanted, folder / "manifests")
        project(folder, emulator.url, throttled)
        emulator.load(seed(live))
        args = ["apply", "--auto-approve"] if apply else ["plan", "--detailed-exitcode"]
        code, cpu, wall, peak_mib = run_command(folder, *args)
        stats = emulator.admin("GET", "stats")
    tables = wanted.tables + wanted.profile_tables
    reads = 1 + KINDS_LISTED
    parents = {"profileTable": live.profile_tables if live.variant != "empty" else 0}
    within = sum(parents.get(parent, 0) for parent in LISTED_WITHIN)
    samples = wanted.changed_count if wanted.variant == "risky" else 0
    creates = tables if live.variant == "empty" and apply else 0
    updates = wanted.changed_count if wanted.variant == "drift" and apply else 0
    minimum = 1 + reads + within + samples + creates + 2 * updates
    bound = latency_bound(reads, within, samples, creates, updates)
    if throttled:
        bound = max(bound, rate_bound(minimum))
    return Row(
        size, name, throttled, stats["calls"], minimum, stats["peakInFlight"], stats["refused"],
        stats["spanSeconds"], bound, cpu, wall, peak_mib, code,
    )  # fmt: skip


def combined(runs: list[Row]) -> Row:
    """One row for repeated runs of a scenario: the median of each timing and of the peak
    memory (the machine may be shared), and the worst of what guards the design (calls, in
    flight, 429s, exit code), so that one bad run still fails the benchmark."""
    first = runs[0]
    worst_exit = next((r.exit_code for r in runs if r.exit_code not in (0, 2)), first.exit_code)
    return Row(
        first.size, first.scenario, first.throttled,
        max(r.calls for r in runs), first.minimum, max(r.peak for r in runs),
        max(r.refused for r in runs), statistics.median(r.span for r in runs), first.bound,
        statistics.median(r.cpu for r in runs), statistics.median(r.wall for r in runs),
        statistics.median(r.peak_mib for r in runs), worst_exit,
    )  # fmt: skip


def size_runs(
    emulator: Emulator, size: int, throttled: bool, only: set[str], repeat: int = 1
) -> list[Row]:
    sync, empty = Licence(size), Licence(size, "empty")
    drift, risky = Licence(size, "drift"), Licence(size, "risky")
    plans = [
        ("plan, in sync", sync, sync),
        ("plan, 10% drift", sync, drift),
        ("plan, 10% risky", risky, risky),
    ]
    applies = [("apply, from empty", empty, sync), ("apply, 10% update", sync, drift)]
    rows = []
    for name, live, wanted in plans + applies:
        if only and name.split(",")[0] not in only:
            continue
        run = partial(scenario, emulator, size, name, live=live, wanted=wanted)
        row = combined([
            run(apply=name.startswith("apply"), throttled=throttled) for _ in range(repeat)
        ])  # fmt: skip
        print(" | ".join(row.cells()) + ("" if row.ok else "   <-- FAILS"), flush=True)
        rows.append(row)
    return rows


def answers_file(size: int, path: Path) -> None:
    """Child mode: the licence's list answers, as the emulator stores them, into `path`."""
    from actito_iac.emulator.seed import apply_seed
    from actito_iac.emulator.store import Store
    from actito_iac.kinds.registry import KINDS

    store = Store()
    apply_seed(store, seed(Licence(size)))
    answers = {k.name: store.list_objects(ENTITY, k.name) for k in KINDS}
    path.write_text(json.dumps(answers), encoding="utf-8")


def offline(size: int) -> None:
    """Child mode: plan `size` tables with the licence's answers in memory; print CPU and peak.

    The answers are made by another process (seeding an emulator would weigh on this one's
    memory); decoding them is counted with reading them into specs, as in a real run."""
    from actito_iac.actual import Actual
    from actito_iac.api.answer import decode
    from actito_iac.heap import owned_by_command
    from actito_iac.kinds.registry import KINDS
    from actito_iac.live import _Item, _to_live
    from actito_iac.plan.planner import make_plan
    from actito_iac.plan.select import Selection
    from actito_iac.render.json_plan import dumps, plan_document
    from actito_iac.session import Inputs, load_desired

    owned_by_command()  # a process of its own, as a command is (actito_iac/heap.py)
    licence = Licence(size)
    with tempfile.TemporaryDirectory(prefix="bench-offline-") as tmp:
        write_manifests(licence, Path(tmp) / "manifests")
        answers_path = Path(tmp) / "answers.json"
        subprocess.run(
            [sys.executable, __file__, "--answers", str(size), str(answers_path)], check=True
        )
        body = answers_path.read_bytes()
        started = time.process_time()
        desired = load_desired(Inputs(None, (Path(tmp) / "manifests",)), {})
        loaded = time.process_time()
        answers = decode(body)  # as the client decodes each answer
        items = [
            _Item(kind, payload, f"item {i}", None)
            for kind in KINDS
            for i, payload in enumerate(answers.pop(kind.name), start=1)
        ]  # the items alone hold the payloads, as in a command
        actual = Actual((ENTITY,), _to_live(ENTITY, items))
        read = time.process_time()
        plan = make_plan(desired, actual)
        planned = time.process_time()
        dumps(plan_document(plan, environment="bench", selection=Selection()))
        done = time.process_time()
    assert not plan.executable, "the licence and its manifests should agree"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "objects": len(desired.objects), "load": loaded - started, "read": read - loaded,
        "plan": planned - read, "json": done - planned, "total": done - started, "peak": peak,
    }))  # fmt: skip


def offline_row(size: int) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, __file__, "--offline", str(size)],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()}, "
        f"Python {platform.python_version()}"
    )


def table(rows: list[Row], figures: dict[str, Any] | None, repeat: int = 1) -> str:
    runs = f"the median of {repeat} runs each" if repeat > 1 else "one run each"
    lines = [
        f"Measured with `make bench` on {machine()}; emulator latency {LATENCY * 1000:.0f} ms a "
        f"call, {runs}, {time.strftime('%Y-%m-%d')}.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    if figures:
        lines += [
            "",
            f"Planning {figures['objects']:,} objects (one file each) without the network, the "
            f"licence's answers in memory: {figures['total']:.2f} s of CPU — loading the "
            f"manifests {figures['load']:.2f} s, decoding the answers and reading them into "
            f"specs {figures['read']:.2f} s, planning {figures['plan']:.2f} s, the JSON plan "
            f"{figures['json']:.2f} s; peak memory {figures['peak']:.0f} MiB.",
        ]
    return "\n".join(lines) + "\n"


def write_readme(text: str) -> None:
    readme = ROOT / "README.md"
    content = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(content):
        raise SystemExit(f"README.md has no {README_START} … {README_END} section")
    replaced = pattern.sub(lambda _: f"{README_START}\n{text}{README_END}", content)
    readme.write_text(replaced, encoding="utf-8")


def compiled() -> None:
    """The package's bytecode written before anything is timed, as an installed command has it:
    with PYTHONDONTWRITEBYTECODE set (or a folder Python may not write to), every run would
    compile each module of the project again and count it as the command's CPU."""
    import actito_iac

    compileall.compile_dir(Path(actito_iac.__file__).parent, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--throttled-size", type=int, default=200)
    parser.add_argument("--only", default="", help="plan or apply: run only those")
    parser.add_argument("--readme", action="store_true", help="rewrite README's table")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each scenario (the table shows medians)"
    )
    parser.add_argument("--offline", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--answers", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.answers:
        answers_file(int(options.answers[0]), Path(options.answers[1]))
        return 0
    if options.offline:
        offline(options.offline)
        return 0
    sizes = [int(s) for s in options.sizes.split(",") if s]
    only = {o for o in options.only.split(",") if o}
    compiled()
    print(" | ".join(HEADER), flush=True)
    rows: list[Row] = []
    emulator = Emulator(throttle=0)
    try:
        for size in sizes:
            rows += size_runs(emulator, size, throttled=False, only=only, repeat=options.repeat)
    finally:
        emulator.stop()
    if options.throttled_size:
        emulator = Emulator(throttle=RATE)
        try:
            rows += size_runs(
                emulator, options.throttled_size, throttled=True, only=only,
                repeat=options.repeat,
            )  # fmt: skip
        finally:
            emulator.stop()
    figures = offline_row(max(sizes)) if sizes else None
    text = table(rows, figures, options.repeat)
    print()
    print(text)
    if options.readme:
        write_readme(text)
    failed = [r for r in rows if not r.ok]
    for row in failed:
        print(
            f"FAILS: {row.size} {row.scenario}: {row.calls} calls for a minimum of "
            f"{row.minimum}, {row.peak} in flight, exit {row.exit_code}",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
