# Records, as an operator's script handles them: 20k pod-like maps, grouped by service,
# sorted by name, then a JSON round trip and a pass over the result.
import json

services = ["lms", "cms", "lms-worker", "cms-worker", "mysql", "mongodb", "redis", "caddy"]
pods = []
for i in range(20000):
    svc = services[i % 8]
    pods.append({"name": f"{svc}-{(i * 7919) % 20000}", "service": svc, "restarts": i % 5, "ready": i % 3 != 0})
groups = {}
for p in pods:
    s = p["service"]
    if s not in groups:
        groups[s] = []
    groups[s].append(p)
srt = sorted(pods, key=lambda p: p["name"])
back = json.loads(json.dumps(srt))
restarts = 0
for p in back:
    restarts += p["restarts"]
out = []
for k in sorted(groups.keys()):
    out.append(f"{k}={len(groups[k])}")
print(",".join(out), restarts, back[0]["name"], back[-1]["name"])
