#!/usr/bin/env python3
"""Writes SQL for a synthetic county's timetable and booking duty, for the
booking benchmark: stops scattered over 60 km x 50 km of hills, lines
threading nearby stops (each run both ways every 30 minutes, 06:00-20:00,
every day), and vans on booking duty 06:00-22:00 from depots at stops.

    county-sql.py --stops 600 --lines 40 --vans 300 --seed 7 SQL_OUT PLACES_OUT

PLACES_OUT gets "lat lon" of every stop, for the load generator."""
import argparse
import math
import random

ap = argparse.ArgumentParser()
ap.add_argument("--stops", type=int, default=600)
ap.add_argument("--lines", type=int, default=40)
ap.add_argument("--vans", type=int, default=300)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("sql")
ap.add_argument("places")
a = ap.parse_args()
rnd = random.Random(a.seed)
LAT0, LON0 = 30.0, 104.6
M_LAT = 111195.0
M_LON = M_LAT * math.cos(math.radians(LAT0))

stops = []
for i in range(a.stops):
    x, y = rnd.uniform(-30000, 30000), rnd.uniform(-25000, 25000)
    stops.append((LAT0 + y / M_LAT, LON0 + x / M_LON))


def dist(i, j):
    (a1, o1), (a2, o2) = stops[i], stops[j]
    return math.hypot((a1 - a2) * M_LAT, (o1 - o2) * M_LON)


out = ["BEGIN;",
       "INSERT INTO operator (code, name) VALUES ('OPB', 'Bench county bus company');",
       "INSERT INTO calendar (code, kind, start_date, end_date, weekdays)"
       " VALUES ('DAILY', 'weekly', current_date - 30, current_date + 365, 127);"]
for i, (lat, lon) in enumerate(stops):
    out.append(f"INSERT INTO stop (code, name, kind, location) VALUES ('S{i:04d}', 'Stop {i}', 'roadside',"
               f" ST_SetSRID(ST_MakePoint({lon:.7f}, {lat:.7f}), 4326));")

trip_no = 0
for li in range(a.lines):
    start = rnd.randrange(len(stops))
    heading = rnd.uniform(0, 2 * math.pi)
    path, cur = [start], start
    while len(path) < 12:
        best, bscore = None, None
        for j in range(len(stops)):
            if j in path:
                continue
            d = dist(cur, j)
            if d < 500 or d > 6000:
                continue
            (a1, o1), (a2, o2) = stops[cur], stops[j]
            ang = math.atan2((a2 - a1) * M_LAT, (o2 - o1) * M_LON)
            score = d * (2 - math.cos(ang - heading))
            if bscore is None or score < bscore:
                best, bscore = j, score
        if best is None:
            break
        path.append(best)
        cur = best
    if len(path) < 3:
        continue
    for direction, seq in (("", path), ("R", path[::-1])):
        code = f"L{li:02d}{direction}"
        out.append(f"INSERT INTO line (code, name, kind, operator_id) SELECT '{code}', 'Line {code}', 'scheduled', id"
                   f" FROM operator WHERE code = 'OPB';")
        out.append(f"INSERT INTO route_version (line_id, version, effective_from, created_by)"
                   f" SELECT id, 1, current_date - 30, 'bench' FROM line WHERE code = '{code}';")
        for k, s in enumerate(seq):
            out.append(f"INSERT INTO route_stop (route_version_id, seq, stop_id) SELECT rv.id, {k + 1}, s.id"
                       f" FROM route_version rv JOIN line l ON l.id = rv.line_id, stop s"
                       f" WHERE l.code = '{code}' AND s.code = 'S{s:04d}';")
        dep = 6 * 3600
        while dep <= 20 * 3600:
            trip_no += 1
            tcode = f"{code}-{dep // 3600:02d}{dep % 3600 // 60:02d}"
            out.append(f"INSERT INTO trip (code, route_version_id, calendar_id, created_by)"
                       f" SELECT '{tcode}', rv.id, c.id, 'bench' FROM route_version rv JOIN line l ON l.id = rv.line_id,"
                       f" calendar c WHERE l.code = '{code}' AND c.code = 'DAILY';")
            t, rows = dep, []
            for k, s in enumerate(seq):
                if k:
                    t += int(math.ceil(dist(seq[k - 1], s) * 1.35 / (30 / 3.6) / 60.0)) * 60
                d = t + (30 if 0 < k < len(seq) - 1 else 0)
                rows.append(f"({k + 1}, {t}, {d})")
                t = d
            out.append(f"INSERT INTO stop_time (trip_id, seq, arrival, departure) SELECT t.id, x.seq, x.a, x.d"
                       f" FROM trip t, (VALUES {', '.join(rows)}) AS x(seq, a, d) WHERE t.code = '{tcode}';")
            dep += 1800

for v in range(a.vans):
    depot = rnd.randrange(len(stops))
    out.append(f"INSERT INTO vehicle (code, name, seats, cargo_l) VALUES ('VAN-{v:04d}', 'van', 8, 300);")
    out.append(f"INSERT INTO demand_shift (code, vehicle_id, calendar_id, depot_stop_id, start_s, end_s, created_by)"
               f" SELECT 'DRT-{v:04d}', v.id, c.id, s.id, 21600, 79200, 'bench' FROM vehicle v, calendar c, stop s"
               f" WHERE v.code = 'VAN-{v:04d}' AND c.code = 'DAILY' AND s.code = 'S{depot:04d}';")
out.append("COMMIT;")
with open(a.sql, "w") as f:
    f.write("\n".join(out) + "\n")
with open(a.places, "w") as f:
    for lat, lon in stops:
        f.write(f"{lat:.7f} {lon:.7f}\n")
print(f"{len(stops)} stops, {a.lines * 2} lines, {trip_no} trips a day, {a.vans} vans on duty")
