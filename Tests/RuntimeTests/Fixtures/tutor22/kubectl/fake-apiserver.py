#!/usr/bin/env python3
"""Minimal fake Kubernetes API server for make-argv-fixtures.sh (stdlib only).

Tutor 22 does not use kubectl for everything: `k8s exec` (pod lookup) and the
job runner behind `k8s init` / `k8s do` (active-job check, completion polling)
use the Python `kubernetes` client, which reads $KUBECONFIG. The fixture
script points $KUBECONFIG at this server.

Usage: fake-apiserver.py PORT_FILE LOG_FILE
  Listens on 127.0.0.1 (ephemeral port, written to PORT_FILE) and appends one
  JSON line per request to LOG_FILE: {"api": "GET", "path": ..., "query": {...}}.
Answers:
  GET /apis/batch/v1/namespaces/NS/jobs?fieldSelector=metadata.name=X
      -> one Job X with status {succeeded: 1} (job finished at once)
  GET /apis/batch/v1/namespaces/NS/jobs?labelSelector=...
      -> empty JobList (no active jobs)
  GET /api/v1/namespaces/NS/pods?labelSelector=app.kubernetes.io/name=SVC
      -> one Pod named SVC-5f7b8c9d6-x7k2p
  anything else -> 404 Status
"""
import fcntl
import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PORT_FILE, LOG_FILE = sys.argv[1], sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        with open(LOG_FILE, "a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write(json.dumps({"api": "GET", "path": url.path, "query": query}) + "\n")
        m = re.fullmatch(r"/apis/batch/v1/namespaces/([^/]+)/jobs", url.path)
        if m:
            items = []
            field = query.get("fieldSelector", "")
            if field.startswith("metadata.name="):
                name = field.split("=", 1)[1]
                items.append({
                    "apiVersion": "batch/v1", "kind": "Job",
                    "metadata": {"name": name, "namespace": m.group(1)},
                    "status": {"succeeded": 1},
                })
            return self.reply(200, {"apiVersion": "batch/v1", "kind": "JobList",
                                    "metadata": {}, "items": items})
        m = re.fullmatch(r"/api/v1/namespaces/([^/]+)/pods", url.path)
        if m:
            items = []
            label = query.get("labelSelector", "")
            if label.startswith("app.kubernetes.io/name="):
                svc = label.split("=", 1)[1]
                items.append({
                    "apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": f"{svc}-5f7b8c9d6-x7k2p", "namespace": m.group(1)},
                })
            return self.reply(200, {"apiVersion": "v1", "kind": "PodList",
                                    "metadata": {}, "items": items})
        self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                         "reason": "NotFound", "code": 404})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
