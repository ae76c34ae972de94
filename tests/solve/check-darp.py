#!/usr/bin/env python3
"""check-darp.py — checks a jintong-solve result against its instance, from
scratch and sharing nothing with the solver's code.

    check-darp.py INSTANCE RESULT.json [--optimum COST --max-gap PERCENT]
                  [--allow-unserved]

It reads the instance (Cordeau's format) itself and checks the result's
routes:
  * every route starts at node 0 and ends at node 2n+1, every pickup and
    every drop-off is visited exactly once, a drop-off after its pickup and
    in the same vehicle, at most K routes;
  * the reported times: each node's start of service no earlier than the
    previous node's start plus its service plus the Euclidean distance,
    inside its window; load never above Q; every ride (start of the
    drop-off less the end of the pickup's service) at most L; every route
    (back at the end depot less leaving node 0) at most T;
  * its own schedule: whether each route's order admits any schedule at all,
    decided exactly by Bellman-Ford on the constraints as a graph of time
    differences (a negative cycle means none) — another method than the
    solver's;
  * the cost: the sum of the Euclidean distances along the routes, against
    the reported route costs and total, and against a known optimum when
    given (within --max-gap per cent);
  * the solver's own verdict: "feasible" must be true, "unserved" empty.
Prints every problem found and exits 1 if there is one, 0 otherwise.
"""
import argparse
import json
import math
import sys

TOL = 1e-5


def read_instance(path):
    with open(path, encoding="ascii") as f:
        lines = [ln.split() for ln in f if ln.strip()]
    k, n, t_max, q, l_max = lines[0]
    nodes = []
    for parts in lines[1:]:
        i, x, y, d, load, e, l = parts
        nodes.append({"x": float(x), "y": float(y), "d": float(d), "q": int(load),
                      "e": float(e), "l": float(l)})
    n = int(n)
    if len(nodes) == n + 2 and n % 2 == 0:
        n //= 2  # the header counted request nodes
    if len(nodes) != 2 * n + 2:
        raise SystemExit(f"{path}: {len(nodes)} nodes for {n} requests")
    return {"K": int(k), "n": n, "T": float(t_max), "Q": int(q), "L": float(l_max),
            "nodes": nodes}


def dist(a, b):
    return math.hypot(a["x"] - b["x"], a["y"] - b["y"])


def order_feasible(inst, route):
    """Whether some schedule serves the route's nodes in this order: the
    constraints B[j] - B[i] <= w as edges i -> j of weight w, with a source
    fixed at time 0; feasible iff no negative cycle (Bellman-Ford)."""
    nodes = inst["nodes"]
    m = len(route)
    src = m
    edges = []
    for k, node in enumerate(route):
        nd = nodes[node]
        edges.append((src, k, nd["l"]))       # B[k] - 0 <= l
        edges.append((k, src, -nd["e"]))      # 0 - B[k] <= -e
        if k > 0:
            prev = nodes[route[k - 1]]
            # B[k] - B[k-1] >= d + dist  <=>  B[k-1] - B[k] <= -(d + dist)
            edges.append((k, k - 1, -(prev["d"] + dist(prev, nd))))
    edges.append((0, m - 1, inst["T"]))       # route duration
    where = {node: k for k, node in enumerate(route)}
    n = inst["n"]
    for node, k in where.items():
        if 1 <= node <= n and node + n in where:
            j = where[node + n]
            # B[j] - (B[k] + d) <= L
            edges.append((k, j, inst["L"] + nodes[node]["d"]))
    dist_to = [0.0] * (m + 1)
    for _ in range(m + 1):
        changed = False
        for a, b, w in edges:
            if dist_to[a] + w < dist_to[b] - 1e-9:
                dist_to[b] = dist_to[a] + w
                changed = True
        if not changed:
            return True
    return False


def check(inst, res, optimum=None, max_gap=None, allow_unserved=False):
    """Every problem with res, and its total cost. With allow_unserved (an
    online run), requests the result lists as unserved may be missing, and
    only they."""
    errors = []
    err = errors.append
    nodes, n = inst["nodes"], inst["n"]
    end = 2 * n + 1
    unserved = set(res.get("unserved", []))
    if not allow_unserved:
        if res.get("feasible") is not True:
            err(f"solver says feasible = {res.get('feasible')!r}")
        if unserved:
            err(f"solver left requests unserved: {sorted(unserved)}")
    elif res.get("feasible") is not (not unserved):
        err(f"solver says feasible = {res.get('feasible')!r} with {len(unserved)} unserved")
    routes = res.get("routes", [])
    if len(routes) > inst["K"]:
        err(f"{len(routes)} routes for {inst['K']} vehicles")
    visits = {}
    total = 0.0
    for r, route in enumerate(routes):
        seq = [nd["node"] for nd in route["nodes"]]
        times = [float(nd["time"]) for nd in route["nodes"]]
        if len(seq) < 2 or seq[0] != 0 or seq[-1] != end:
            err(f"route {r}: does not run from node 0 to node {end}: {seq}")
            continue
        inner = seq[1:-1]
        for pos, node in enumerate(inner):
            if not 1 <= node <= 2 * n:
                err(f"route {r}: node {node} is no request node")
                continue
            visits.setdefault(node, []).append((r, pos))
        cost = sum(dist(nodes[a], nodes[b]) for a, b in zip(seq, seq[1:]))
        total += cost
        if abs(cost - float(route.get("cost", cost))) > 1e-6 * max(1.0, cost) and inner:
            err(f"route {r}: reported cost {route.get('cost')}, the distances add up to {cost}")
        # The reported schedule, constraint by constraint.
        load = 0
        for k in range(len(seq)):
            nd = nodes[seq[k]]
            if k > 0:
                prev = nodes[seq[k - 1]]
                reach = times[k - 1] + prev["d"] + dist(prev, nd)
                if times[k] < reach - TOL:
                    err(f"route {r}: node {seq[k]} starts at {times[k]}, reached at {reach}")
            if not nd["e"] - TOL <= times[k] <= nd["l"] + TOL:
                err(f"route {r}: node {seq[k]} starts at {times[k]} outside [{nd['e']}, {nd['l']}]")
            load += nd["q"]
            if load > inst["Q"]:
                err(f"route {r}: load {load} over {inst['Q']} at node {seq[k]}")
            if load < 0:
                err(f"route {r}: negative load at node {seq[k]}")
        at = dict(zip(seq, times))
        for node in inner:
            if 1 <= node <= n:
                if node + n not in at:
                    err(f"route {r}: request {node} picked up but not dropped off here")
                    continue
                if seq.index(node + n) < seq.index(node):
                    err(f"route {r}: request {node} dropped off before its pickup")
                ride = at[node + n] - (at[node] + nodes[node]["d"])
                if ride > inst["L"] + TOL:
                    err(f"route {r}: request {node} rides {ride:.6f} > {inst['L']}")
        duration = times[-1] - times[0]
        if duration > inst["T"] + TOL:
            err(f"route {r}: lasts {duration:.6f} > {inst['T']}")
        if inner and not order_feasible(inst, seq):
            err(f"route {r}: no schedule at all can serve this order")
    for node in range(1, 2 * n + 1):
        v = visits.get(node, [])
        req = node if node <= n else node - n
        want = 0 if allow_unserved and req in unserved else 1
        if len(v) != want:
            err(f"node {node} visited {len(v)} times" + (" (listed unserved)" if want == 0 else ""))
    for i in range(1, n + 1):
        if len(visits.get(i, [])) == 1 and len(visits.get(i + n, [])) == 1:
            if visits[i][0][0] != visits[i + n][0][0]:
                err(f"request {i}: picked up and dropped off by different vehicles")
    if abs(total - float(res.get("cost", -1))) > 1e-6 * max(1.0, total):
        err(f"reported total cost {res.get('cost')}, the routes add up to {total}")
    if optimum is not None and max_gap is not None:
        gap = 100.0 * (total - optimum) / optimum
        if gap > max_gap:
            err(f"cost {total:.2f} is {gap:.2f}% above the optimum {optimum}, more than {max_gap}%")
        if total < optimum - 0.005:  # the optimum is given to two decimals
            err(f"cost {total:.4f} below the proven optimum {optimum}: something is not counted")
    return errors, total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("instance")
    ap.add_argument("result")
    ap.add_argument("--optimum", type=float)
    ap.add_argument("--max-gap", type=float)
    ap.add_argument("--allow-unserved", action="store_true",
                    help="an online run: requests listed unserved may be missing")
    a = ap.parse_args()
    inst = read_instance(a.instance)
    with open(a.result, encoding="utf-8") as f:
        res = json.load(f)
    errors, total = check(inst, res, a.optimum, a.max_gap, a.allow_unserved)
    for e in errors:
        print(f"check-darp: {a.instance}: {e}")
    if errors:
        print(f"check-darp: {a.instance}: FAILED, {len(errors)} problem(s)")
        return 1
    gap = ""
    if a.optimum:
        gap = f", {100.0 * (total - a.optimum) / a.optimum:.2f}% above the optimum {a.optimum}"
    print(f"check-darp: {a.instance}: cost {total:.2f}{gap}, every constraint holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
