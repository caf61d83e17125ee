#!/usr/bin/env python3
"""Seeds for fuzz-http and fuzz-protobuf, recorded from the real kubectl.

Starts `tk8s sandbox serve`, puts a TCP recorder between it and kubectl, runs the kubectl commands the sandbox's
tests run (apply, get, describe, patch, scale, logs, exec, watch, create with protobuf bodies, delete), and writes:
  seeds/http/NNN      the bytes kubectl sent on each connection (requests, pipelined, WebSocket frames)
  seeds/protobuf/NNN  each protobuf request body
The sandbox's bearer token becomes FUZZ_TOKEN (the token the fuzz-http target's server accepts).
Usage: fuzz/capture.py PATH/TO/tk8s   (run by hand when kubectl or the sandbox's routes change; the seeds are committed)
"""
import os, re, shutil, socket, ssl, subprocess, sys, tempfile, threading, time

FUZZ_TOKEN = b"fuzz-token"
HERE = os.path.dirname(os.path.abspath(__file__))

MANIFEST = """apiVersion: v1
kind: Namespace
metadata: {name: openedx}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: openedx-config, namespace: openedx, labels: {app.kubernetes.io/name: lms}}
data: {LMS_HOST: www.example.com}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: lms, namespace: openedx, labels: {app.kubernetes.io/name: lms}}
spec:
  replicas: 1
  selector: {matchLabels: {app.kubernetes.io/name: lms}}
  template:
    metadata: {labels: {app.kubernetes.io/name: lms}}
    spec:
      containers:
      - {name: lms, image: "docker.io/overhangio/openedx:22.0.3", ports: [{containerPort: 8000}]}
---
apiVersion: v1
kind: Service
metadata: {name: lms, namespace: openedx}
spec: {selector: {app.kubernetes.io/name: lms}, ports: [{port: 8000}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: lms-job-1, namespace: openedx}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: lms, image: "docker.io/overhangio/openedx:22.0.3", command: [sh, -e, -c, "echo hi"]}]
"""

COMMANDS = [
    ["apply", "-f", "{manifest}"],
    ["apply", "--server-side", "-f", "{manifest}"],
    ["get", "all", "-n", "openedx"],
    ["get", "pods", "-n", "openedx", "-o", "json"],
    ["get", "deploy", "lms", "-n", "openedx", "-o", "yaml"],
    ["get", "pods", "-n", "openedx", "-l", "app.kubernetes.io/name=lms", "--field-selector", "status.phase=Running"],
    ["describe", "deployment", "lms", "-n", "openedx"],
    ["scale", "deployment", "lms", "--replicas=2", "-n", "openedx"],
    ["patch", "deployment", "lms", "-n", "openedx", "-p", '{"spec":{"replicas":1}}'],
    ["patch", "deployment", "lms", "-n", "openedx", "--type=merge", "-p", '{"metadata":{"labels":{"x":"y"}}}'],
    ["patch", "deployment", "lms", "-n", "openedx", "--type=json", "-p", '[{"op":"replace","path":"/spec/replicas","value":1}]'],
    ["label", "configmap", "openedx-config", "-n", "openedx", "tier=web"],
    ["annotate", "configmap", "openedx-config", "-n", "openedx", "note=hello"],
    ["wait", "--for=condition=complete", "job/lms-job-1", "-n", "openedx", "--timeout=20s"],
    ["logs", "job/lms-job-1", "-n", "openedx"],
    ["logs", "deploy/lms", "-n", "openedx", "--tail=5"],
    ["exec", "-n", "openedx", "deploy/lms", "--", "echo", "hello"],
    ["get", "pods", "-n", "openedx", "--watch", "--request-timeout=2s"],
    ["rollout", "status", "deployment/lms", "-n", "openedx", "--timeout=20s"],
    ["rollout", "restart", "deployment/lms", "-n", "openedx"],
    ["rollout", "undo", "deployment/lms", "-n", "openedx"],
    ["create", "namespace", "fuzz"],
    ["create", "configmap", "cm", "-n", "fuzz", "--from-literal=a=b", "--from-literal=c=x y"],
    ["create", "secret", "generic", "s", "-n", "fuzz", "--from-literal=password=hunter2"],
    ["create", "deployment", "web", "-n", "fuzz", "--image=nginx", "--replicas=2", "--port=80"],
    ["create", "job", "j", "-n", "fuzz", "--image=busybox", "--", "echo", "hi"],
    ["create", "service", "clusterip", "svc", "-n", "fuzz", "--tcp=80:8080"],
    ["delete", "-f", "{manifest}", "--wait=false"],
    ["delete", "namespace", "fuzz", "--wait=false"],
    ["get", "--raw", "/api/v1/namespaces?limit=1"],
    ["api-resources"],
    ["version"],
]


def main():
    tk8s = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="tk8s-capture-")
    out_http = os.path.join(HERE, "seeds", "http")
    out_pb = os.path.join(HERE, "seeds", "protobuf")
    for d in (out_http, out_pb):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=work, TK8S_SANDBOX_POD_START="0.1", TK8S_SANDBOX_JOB_RUN="0.1")
    server = subprocess.Popen([tk8s, "sandbox", "serve"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)", server.stdout.readline()).group(1))
        kubeconfig = re.search(r"KUBECONFIG=(\S+)", server.stdout.readline()).group(1)
        text = open(kubeconfig).read()
        m = re.search(r"token:\s*(\S+)", text)
        token = m.group(1).strip("'\"").encode() if m else None
        recorder = Recorder(port, token, tls_context(work))
        proxied = os.path.join(work, "kubeconfig")
        with open(proxied, "w") as f:
            # kubectl sends a token over TLS only: it talks TLS to the recorder (a throwaway certificate), which
            # passes the plain requests on to the sandbox's port (it answers plain HTTP too, with the token).
            text = re.sub(r"server: https?://127\.0\.0\.1:\d+", f"server: https://127.0.0.1:{recorder.port}", text)
            text = re.sub(r"certificate-authority-data: \S+", "insecure-skip-tls-verify: true", text)
            f.write(text)
        manifest = os.path.join(work, "manifest.yml")
        with open(manifest, "w") as f:
            f.write(MANIFEST)
        for args in COMMANDS:
            argv = ["kubectl", "--kubeconfig", proxied, "--cache-dir", os.path.join(work, "cache")]
            argv += [a.replace("{manifest}", manifest) for a in args]
            r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
            print(f"{r.returncode:3} kubectl {' '.join(args)}", file=sys.stderr)
        time.sleep(0.5)
        for i, data in enumerate(recorder.connections):
            open(os.path.join(out_http, f"{i:03}"), "wb").write(data)
        for i, body in enumerate(protobuf_bodies(recorder.connections)):
            open(os.path.join(out_pb, f"{i:03}"), "wb").write(body)
        print(f"{len(recorder.connections)} connections, {len(os.listdir(out_pb))} protobuf bodies", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def protobuf_bodies(connections):
    """Each request body whose Content-Type is protobuf (Content-Length framed; kubectl never chunks a body)."""
    for data in connections:
        pos = 0
        while True:
            end = data.find(b"\r\n\r\n", pos)
            if end < 0:
                break
            head = data[pos:end].decode("latin-1")
            m = re.search(r"(?im)^content-length:\s*(\d+)", head)
            length = int(m.group(1)) if m else 0
            body = data[end + 4:end + 4 + length]
            if re.search(r"(?im)^content-type:\s*application/vnd\.kubernetes\.protobuf", head) and body:
                yield body
            pos = end + 4 + length


def tls_context(work):
    """A server context with a throwaway self-signed certificate for 127.0.0.1 (openssl's command line)."""
    key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class Recorder:
    """A relay on 127.0.0.1: TLS from kubectl, plain HTTP to the sandbox; keeps what each client sent, the token
    replaced."""

    def __init__(self, upstream, token, context):
        self.upstream, self.token, self.context, self.connections = upstream, token, context, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self.relay, args=(client,), daemon=True).start()

    def relay(self, client):
        try:
            client = self.context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            return
        server = socket.create_connection(("127.0.0.1", self.upstream))
        sent = bytearray()
        self.connections.append(sent)

        def pump(src, dst, keep):
            try:
                while chunk := src.recv(65536):
                    if keep is not None:
                        keep += chunk.replace(self.token, FUZZ_TOKEN) if self.token else chunk
                    dst.sendall(chunk)
            except OSError:
                pass
            finally:
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        back = threading.Thread(target=pump, args=(server, client, None), daemon=True)
        back.start()
        pump(client, server, sent)
        back.join(timeout=5)


if __name__ == "__main__":
    main()
