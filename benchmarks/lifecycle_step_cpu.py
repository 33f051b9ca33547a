"""CPU of one lifecycle step (institution event `received`) on SQLite, in-process: run from
the checkout as `python -m benchmarks.lifecycle_step_cpu [N]` (benchmarks/privacy.py would
shadow the privacy package if run by path)."""

import sys
import tempfile
import time
import uuid
from pathlib import Path

from hub.services import intake, lifecycle
from hub.services.principal import Principal, Role
from tests.support.builders import application
from tests.support.hubctx import make_hub

tmp = Path(tempfile.mkdtemp())
ctx = make_hub(f"sqlite:///{tmp}/hub.db", tmp)
portal = Principal(role=Role.PORTAL, party="portal-yiwang")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
made = []
for _ in range(N):
    made.append(ctx.db.run(lambda s: intake.submit(ctx, s, portal, application())))
steps = [(m["application_no"], m["institution"]["id"]) for m in made if m.get("institution")]
t = time.process_time()
for no, inst in steps:
    who = Principal(role=Role.INSTITUTION, party=inst)
    body = {"event_id": str(uuid.uuid4()), "type": "received"}
    ctx.db.run(lambda s, who=who, no=no, body=body: lifecycle.record_event(ctx, s, who, no, body))
cpu = time.process_time() - t
load = Path("/proc/loadavg").read_text().split()[:3]
print(f"{len(steps)} steps, {cpu / len(steps) * 1e6:.0f} us CPU per received step; load {load}")
