#!/usr/bin/env python3
"""run-solve.py — the tests of jintong-solve, each run by meson:

    run-solve.py SOLVER instance FILE [--optimum C --max-gap P] [-- SOLVER-ARGS]
        solves FILE and checks the result with check-darp.py
    run-solve.py SOLVER generate K N SEED [-- SOLVER-ARGS]
        the same on a generated instance (generated twice: same text)
    run-solve.py SOLVER mutations FILE
        solves FILE, then breaks the result in several ways, each of which
        the checker must reject (so a checker that checks nothing fails)
    run-solve.py SOLVER bad-input
        hostile instance files: each refused with exit status 2 and
        "FILE:LINE: reason" naming the right line
"""
import copy
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("check_darp", os.path.join(HERE, "check-darp.py"))
check_darp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_darp)


def fail(msg):
    print(f"run-solve: FAILED: {msg}")
    sys.exit(1)


def solve(solver, path, args):
    p = subprocess.run([solver, "--quiet", *args, path], capture_output=True, text=True,
                       timeout=300)
    if p.returncode not in (0, 1):
        fail(f"{path}: exit status {p.returncode}: {p.stderr.strip()}")
    try:
        return json.loads(p.stdout), p.returncode
    except ValueError as e:
        fail(f"{path}: output is not JSON ({e}): {p.stdout[:200]!r}")


def run_check(path, res, optimum=None, max_gap=None, allow_unserved=False):
    inst = check_darp.read_instance(path)
    errors, total = check_darp.check(inst, res, optimum, max_gap, allow_unserved)
    for e in errors:
        print(f"check-darp: {path}: {e}")
    if errors:
        fail(f"{path}: {len(errors)} problem(s)")
    gap = f", {100 * (total - optimum) / optimum:.2f}% above the optimum" if optimum else ""
    left = f", {len(res['unserved'])} unserved" if res.get("unserved") else ""
    print(f"{os.path.basename(path)}: cost {total:.2f}{gap}{left}; every constraint holds")


def split_args(argv):
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1:]
    return argv, []


def cmd_instance(solver, argv):
    own, extra = split_args(argv)
    path = own[0]
    optimum = max_gap = None
    if "--optimum" in own:
        optimum = float(own[own.index("--optimum") + 1])
        max_gap = float(own[own.index("--max-gap") + 1])
    online = "--online" in extra
    res, rc = solve(solver, path, extra)
    if rc != (1 if online and res.get("unserved") else 0):
        fail(f"{path}: jintong-solve exit status {rc}")
    run_check(path, res, optimum, max_gap, allow_unserved=online)


def cmd_generate(solver, argv):
    own, extra = split_args(argv)
    k, n, seed = own[:3]
    texts = [subprocess.run([solver, "--generate", k, n, seed], capture_output=True, text=True,
                            check=True).stdout for _ in range(2)]
    if texts[0] != texts[1]:
        fail("the generator gave two different instances for one seed")
    other = subprocess.run([solver, "--generate", k, n, str(int(seed) + 1)], capture_output=True,
                           text=True, check=True).stdout
    if other == texts[0]:
        fail("the generator gave the same instance for two seeds")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"gen-{k}-{n}-{seed}.txt")
        with open(path, "w", encoding="ascii") as f:
            f.write(texts[0])
        inst = check_darp.read_instance(path)
        if inst["K"] != int(k) or inst["n"] != int(n):
            fail(f"generated instance has K={inst['K']} n={inst['n']}")
        res, rc = solve(solver, path, extra)
        if rc != 0:
            fail(f"{path}: jintong-solve exit status {rc}")
        run_check(path, res)


def mutations(res, n):
    """Ways to break a valid result, each a (name, broken result) pair."""
    routes = [r for r in res["routes"] if len(r["nodes"]) > 2]
    r0 = routes[0]
    out = []

    def variant(name, fn):
        b = copy.deepcopy(res)
        fn(b)
        out.append((name, b))

    idx0 = res["routes"].index(r0)

    def swap_pick_drop(b):
        nodes = b["routes"][idx0]["nodes"]
        seq = [x["node"] for x in nodes]
        p = next(x for x in seq if 1 <= x <= n)
        i, j = seq.index(p), seq.index(p + n)
        nodes[i]["node"], nodes[j]["node"] = nodes[j]["node"], nodes[i]["node"]
    variant("drop-off before pickup", swap_pick_drop)

    def drop_request(b):
        nodes = b["routes"][idx0]["nodes"]
        p = next(x["node"] for x in nodes if 1 <= x["node"] <= n)
        b["routes"][idx0]["nodes"] = [x for x in nodes if x["node"] not in (p, p + n)]
    variant("a request left out", drop_request)

    def late(b):
        nodes = b["routes"][idx0]["nodes"]
        nodes[-2]["time"] = float(nodes[-2]["time"]) + 2000
    variant("a start far after its window", late)

    def early(b):
        nodes = b["routes"][idx0]["nodes"]
        nodes[2]["time"] = float(nodes[1]["time"])
    variant("a start before the vehicle can get there", early)

    def cost(b):
        b["cost"] = float(b["cost"]) * 0.9
    variant("a total cost that is not the routes'", cost)

    def twice(b):
        nodes = b["routes"][idx0]["nodes"]
        nodes.insert(1, copy.deepcopy(nodes[1]))
    variant("a node visited twice", twice)

    def ride(b):
        # Every start after the first pickup delayed: the first rider rides longer.
        nodes = b["routes"][idx0]["nodes"]
        seq = [x["node"] for x in nodes]
        p = next(x for x in seq if 1 <= x <= n)
        j = seq.index(p + n)
        for x in nodes[j:]:
            x["time"] = float(x["time"]) + 1e3
    variant("a ride far over L", ride)
    return out


def cmd_mutations(solver, argv):
    path = argv[0]
    res, rc = solve(solver, path, ["--iterations", "2000"])
    if rc != 0:
        fail(f"{path}: jintong-solve exit status {rc}")
    run_check(path, res)
    inst = check_darp.read_instance(path)
    for name, broken in mutations(res, inst["n"]):
        errors, _ = check_darp.check(inst, broken)
        if not errors:
            fail(f"the checker accepted a result with {name}")
        print(f"rejected, {name}: {errors[0]}")


BAD = [
    # (name, text, expected line, a word of the reason)
    ("empty file", "", 0, "empty"),
    ("short header", "2 1 480 6\n", 1, "header"),
    ("NaN coordinate",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 nan 1 3 1 0 1440\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     3, "not a number"),
    ("infinite window",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 1 0 1e999\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     3, "not finite"),
    ("negative window",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 1 -5 10\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     3, "window start"),
    ("window backwards",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 1 50 10\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     3, "after its end"),
    ("inconsistent loads",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 2 0 1440\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     4, "load"),
    ("load over capacity",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 7 0 1440\n2 2 2 3 -7 0 1440\n3 0 0 0 0 0 480\n",
     3, "capacity"),
    ("too few node lines",
     "1 3 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 1 0 1440\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     5, "node lines"),
    ("too many node lines",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 1 0 1440\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n"
     "4 0 0 0 0 0 480\n", 6, "more node lines"),
    ("huge N", "1 999999999 480 6 45\n0 0 0 0 0 0 480\n", 1, "request count"),
    ("extra field",
     "1 1 480 6 45\n0 0 0 0 0 0 480 9\n1 1 1 3 1 0 1440\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     2, "7 fields"),
    ("ids out of order",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n2 1 1 3 1 0 1440\n1 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     3, "node id"),
    ("hex number",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 0x10 1 3 1 0 1440\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     3, "not a number"),
    ("not ASCII",
     "1 1 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 1 0 1440 \u00e9\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     3, "printable"),
    ("fractional capacity", "1 1 480 6.5 45\n", 1, "whole number"),
    ("depot with a load",
     "1 1 480 6 45\n0 0 0 0 1 0 480\n1 1 1 3 1 0 1440\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n",
     2, "depot"),
]


def cmd_bad_input(solver, argv):
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, line, word in BAD:
            path = os.path.join(tmp, "bad.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            p = subprocess.run([solver, "--quiet", path], capture_output=True, text=True,
                               timeout=60)
            want = f"{path}:{line}: "
            if p.returncode != 2:
                fail(f"{name}: exit status {p.returncode}, want 2 ({p.stderr.strip()})")
            if not p.stderr.startswith(want) or word not in p.stderr:
                fail(f"{name}: stderr {p.stderr.strip()!r}, want {want!r}... with {word!r}")
            if p.stdout:
                fail(f"{name}: printed a result for a file it refused")
            print(f"refused, {name}: {p.stderr.strip()[len(path) + 1:]}")
        # The same instance, N counting request nodes instead of requests.
        good = "1 1 480 6 45\n0 0 0 0 0 0 480\n1 1 1 3 1 0 1440\n2 2 2 3 -1 0 1440\n3 0 0 0 0 0 480\n"
        for text in (good, good.replace("1 1 480", "1 2 480", 1)):
            path = os.path.join(tmp, "good.txt")
            with open(path, "w", encoding="ascii") as f:
                f.write(text)
            res, rc = solve(solver, path, ["--iterations", "10"])
            if rc != 0 or res["requests"] != 1:
                fail(f"one request counted as {res.get('requests')} (header {text.split()[1]})")
        print("N as requests and N as request nodes both read as one request")


def main():
    solver, cmd, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    {"instance": cmd_instance, "generate": cmd_generate, "mutations": cmd_mutations,
     "bad-input": cmd_bad_input}[cmd](solver, rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
