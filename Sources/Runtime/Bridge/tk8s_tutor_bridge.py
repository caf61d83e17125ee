"""tk8s's bridge to the user's own Tutor (docs/runtime.md, "The Tutor bridge").

tk8s runs this file with the Python interpreter of the user's `tutor`
executable. It imports only Tutor and the plugins Tutor loads, sets them up
exactly as `tutor config save` does, and prints one JSON document on standard
output. It never writes into the user's project root: everything it renders
goes to a temporary directory that it removes.

    python3 tk8s_tutor_bridge.py snapshot   < {"root": ..., "user": {...}}
    python3 tk8s_tutor_bridge.py do NAME ARG...   < {"root": ..., "user": {...}}

`snapshot` gives everything tk8s needs to render the env natively: config
layers after the plugins' callbacks, patches in Tutor's order, template roots
and targets, which template files are rendered or copied, the template
filters and globals (static values as data, Python callables through a memo
of the calls Tutor's own render made), the files that ENV_SAVED callbacks
write, init tasks, images and `do` commands, and the config values that
Python code read (tk8s keys its cache on them).

`do` runs one `do` command's callback with the given arguments and prints the
(service, script) pairs it yields, unrendered, for tk8s to run as jobs.

Errors: a message on standard error and exit status 3 (bad input) or 4
(Tutor failed); tk8s shows the message.
"""

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import traceback


def tutor_libraries():
    """click, jinja2 and importlib_metadata exactly as Tutor itself imported them: this helper imports
    Tutor and its plugins and nothing else from the user's environment."""
    from tutor import env as tutor_env
    from tutor.commands import cli as tutor_cli
    from tutor.plugins import v1 as tutor_plugins_v1

    return tutor_cli.click, tutor_env.jinja2, tutor_plugins_v1.importlib_metadata

FORMAT = 1

# Filters that tk8s implements natively (the functions in tutor.utils; `encrypt`,
# a salted bcrypt, is not among them and goes through the memo).
NATIVE_FILTERS = {
    "common_domain",
    "list_if",
    "long_to_base64",
    "random_string",
    "reverse_host",
    "rsa_import_key",
    "rsa_private_key",
    "uuid",
    "uid_master_hash",
}


class BridgeError(Exception):
    pass


def jsonable(value, depth=0):
    """A JSON-ready copy of a value a template sees: tuples and generators
    become lists, objects their public attributes."""
    if depth > 64:
        raise BridgeError("value nested too deeply to pass to tk8s")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "__next__"):
        items = list(value)
        if isinstance(value, (set, frozenset)):
            items = sorted(items, key=repr)
        return [jsonable(v, depth + 1) for v in items]
    if hasattr(value, "__dict__"):
        return {
            k: jsonable(v, depth + 1)
            for k, v in vars(value).items()
            if not k.startswith("_")
        }
    raise BridgeError(f"cannot pass a {type(value).__name__} to tk8s")


class Reads:
    """Config keys that Python code read while rendering (not the templates'
    own reads, which tk8s makes itself)."""

    def __init__(self):
        self.depth = 0
        self.keys = set()
        self.config_keys = set()

    @contextlib.contextmanager
    def inside_python(self):
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def note(self, key):
        if self.depth > 0 and key in self.config_keys:
            self.keys.add(key)


READS = Reads()


class RecordingConfig(dict):
    """The config as Python callbacks see it: every key they read is noted."""

    def __getitem__(self, key):
        READS.keys.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        READS.keys.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        READS.keys.add(key)
        return super().__contains__(key)

    def items(self):
        READS.keys.update(self.keys())
        return super().items()

    def values(self):
        READS.keys.update(self.keys())
        return super().values()

    def __iter__(self):
        READS.keys.update(self.keys())
        return super().__iter__()

    def __deepcopy__(self, memo):
        # A copy (Tutor's Renderer makes one) is plain: the templates it renders note their reads themselves.
        import copy

        return {k: copy.deepcopy(v, memo) for k, v in dict.items(self)}


class Memo:
    """Every call a render makes to a Python filter or global: (kind, name,
    arguments) -> result."""

    def __init__(self):
        self.entries = {}
        self.volatile = set()

    def wrap(self, kind, name, func):
        memo = self

        def recorded(*args, **kwargs):
            with READS.inside_python():
                raw = func(*args, **kwargs)
                if hasattr(raw, "__next__"):
                    raw = list(raw)
                result = jsonable(raw)
            key = json.dumps([kind, name, jsonable(args), jsonable(kwargs)], sort_keys=True)
            previous = memo.entries.get(key)
            if previous is not None and previous["result"] != result:
                memo.volatile.add(key)
            memo.entries[key] = {
                "kind": kind,
                "name": name,
                "args": jsonable(args),
                "kwargs": jsonable(kwargs),
                "result": result,
                "raw": raw,
            }
            return raw

        recorded.__name__ = getattr(func, "__name__", name)
        return recorded

    def export(self):
        out = []
        for key, entry in self.entries.items():
            entry = dict(entry)
            entry.pop("raw", None)
            if key in self.volatile:
                entry["volatile"] = True
            out.append(entry)
        return out


def has_tuple(value, depth=0):
    if depth > 64:
        return False
    if isinstance(value, tuple):
        return True
    if isinstance(value, dict):
        return any(has_tuple(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(has_tuple(v, depth + 1) for v in value)
    return False


def python_texts(full, memo):
    """Python's str() of config values and memo results that hold tuples: JSON makes them lists,
    and tk8s must still print them as Python does (`[('course', 'x')]`)."""
    out = {}
    values = list(full.values()) + [e["raw"] for e in memo.entries.values() if "raw" in e]
    for value in values:
        if has_tuple(value):
            out[json.dumps(jsonable(value), sort_keys=True)] = [jsonable(value), str(value)]
    return list(out.values())


def read_request():
    try:
        request = json.load(sys.stdin)
    except ValueError as e:
        raise BridgeError(f"the request on standard input is not JSON: {e}")
    if not isinstance(request, dict) or not isinstance(request.get("user", {}), dict):
        raise BridgeError('the request must be {"root": PATH, "user": {config.yml}}')
    return request


def setup_tutor(workdir, user):
    """Tutor's start-up, as `tutor config save` does it, on a scratch root
    whose config.yml is the user's (as tk8s is about to save it). Plugins run
    inside a click context for `tutor --root ROOT`, as under the real CLI
    (tutor-contrib-branding reads the root from it)."""
    click, jinja2, _ = tutor_libraries()
    from tutor import hooks, serialize
    from tutor import config as tutor_config
    from tutor.commands import cli as cli_module
    from tutor.commands.context import BaseTaskContext

    root = os.path.join(workdir, "root")
    os.makedirs(root)
    with open(os.path.join(root, "config.yml"), "w", encoding="utf-8") as f:
        serialize.dump(user, f)

    original_resolve = jinja2.runtime.Context.resolve_or_missing

    def resolve_or_missing(self, key):
        READS.note(key)
        return original_resolve(self, key)

    jinja2.runtime.Context.resolve_or_missing = resolve_or_missing

    # A plugin that loads the config itself (tutor_config.load) reads through a recording copy.
    original_load = tutor_config.load
    tutor_config.load = lambda path: RecordingConfig(original_load(path))

    context = click.Context(cli_module.cli, info_name="tutor", obj=BaseTaskContext(root))
    context.params = {"root": root, "show_help": False}
    context.__enter__()

    hooks.Actions.CORE_READY.do()
    hooks.Actions.PROJECT_ROOT_READY.do(root)
    return root, tutor_config


def yaml_style():
    """How Tutor's YAML writer lays out a multi-line string and one with a quote: plugins may change it
    (tutor-contrib-aspects makes both literal blocks), and config.yml must come out the same."""
    from tutor import serialize

    probe = serialize.dumps({"a": "x\ny", "b": "it's"})
    return {"multilineLiteral": "a: |" in probe, "quoteLiteral": "b: |" in probe}


def iterate_with_contexts(filter_, *args):
    """A list filter's items in Tutor's order, each with the app context
    (plugin or core app) whose callback added it; None where a callback
    changed items it did not add."""
    final = list(filter_.iterate(*args))
    items, apps = [], []
    for callback in filter_.callbacks:
        before = list(items)
        items = callback.apply(list(items), *args)
        app = next((c[4:] for c in callback.contexts if c.startswith("app:")), None)
        if items[: len(before)] == before:
            apps += [app] * (len(items) - len(before))
        else:
            apps = [None] * len(items)
    if items != final or len(apps) != len(final):
        apps = [None] * len(final)
    return list(zip(final, apps))


def plugin_table():
    from tutor import hooks, plugins

    info = dict(plugins.iter_info())
    sources = {}
    try:
        _, _, importlib_metadata = tutor_libraries()

        for group in ("tutor.plugin.v1", "tutor.plugin.v0"):
            for ep in importlib_metadata.entry_points(group=group):
                sources.setdefault(ep.name, f"{ep.value} ({ep.dist.name if ep.dist else 'unknown'})")
    except Exception:  # noqa: BLE001  (sources are informative only)
        pass
    out = []
    for name in sorted(set(plugins.iter_installed())):
        detail = info.get(name) or ""
        if name in sources:
            source, version = sources[name], detail
        elif detail.endswith((".py", ".yml", ".yaml")):
            source, version = detail, ""
        else:
            source, version = "", detail
        kind = "yaml" if source.endswith((".yml", ".yaml")) else "python"
        out.append({"name": name, "version": version, "source": source, "kind": kind})
    return out


def config_layers(tutor_config):
    from tutor import hooks

    base_yml = tutor_config.get_template("base.yml")
    unique = list(hooks.Filters.CONFIG_UNIQUE.iterate())
    overrides = []
    for (key, value), app in iterate_with_contexts(hooks.Filters.CONFIG_OVERRIDES):
        overrides.append({"key": key, "value": value, "plugin": app})
    defaults = dict(hooks.Filters.CONFIG_DEFAULTS.iterate())
    user_filter = list(hooks.Filters.CONFIG_USER.iterate())
    return {
        "base": jsonable(base_yml),
        "unique": [[k, jsonable(v)] for k, v in unique],
        "overrides": [dict(o, value=jsonable(o["value"])) for o in overrides],
        "defaults": [[k, jsonable(v)] for k, v in defaults.items()],
        "user": [[k, jsonable(v)] for k, v in user_filter],
    }


def template_table():
    """Every file in the template roots, as Jinja's loader lists it, with
    whether it is rendered (include/ignore patterns) and whether it is copied
    as bytes (IS_FILE_RENDERED, e.g. binary extensions)."""
    from tutor import env as tutor_env
    from tutor import hooks

    environment = tutor_env.JinjaEnvironment()
    out = []
    for name in environment.loader.list_templates():
        rendered = tutor_env.is_rendered(name)
        entry = {"name": name, "path": environment.find_os_path(name)}
        if not rendered:
            entry["skip"] = True
        elif not hooks.Filters.IS_FILE_RENDERED.apply(True, name):
            entry["copy"] = True
        out.append(entry)
    return environment.loader.searchpath, out


def install_memo(memo):
    """Wraps Python filters and globals in every Renderer Tutor makes."""
    from tutor import env as tutor_env

    original_init = tutor_env.Renderer.__init__
    static = {}

    def init(self, config=None):
        original_init(self, config)
        for name, func in list(self.environment.filters.items()):
            if name in NATIVE_FILTERS or name == "walk_templates" or name in JINJA_FILTERS:
                continue
            self.environment.filters[name] = memo.wrap("filter", name, func)
        for name, value in list(self.environment.globals.items()):
            if name in ("patch", "iter_values_named") or name in JINJA_GLOBALS:
                continue
            if callable(value):
                self.environment.globals[name] = memo.wrap("global", name, value)
            else:
                static[name] = jsonable(value)

    tutor_env.Renderer.__init__ = init
    return static


JINJA_FILTERS = set()
JINJA_GLOBALS = set()


def run_env_saved(root, full_config):
    """Tutor's env.save into a scratch env; returns the files ENV_SAVED
    callbacks added or changed, and the ones they removed."""
    from tutor import env as tutor_env
    from tutor import hooks

    env_dir = tutor_env.base_dir(root)
    original_do = hooks.Actions.ENV_SAVED.do
    extra = {}

    def listing():
        files = {}
        for dirpath, _dirs, names in os.walk(env_dir):
            for n in names:
                path = os.path.join(dirpath, n)
                with open(path, "rb") as f:
                    files[os.path.relpath(path, env_dir)] = f.read()
        return files

    def do(root_env, config):
        before = listing()
        with READS.inside_python():
            original_do(root_env, RecordingConfig(config))
        after = listing()
        extra["written"] = {
            rel: data.decode("utf-8", "surrogateescape")
            for rel, data in sorted(after.items())
            if before.get(rel) != data
        }
        extra["removed"] = sorted(rel for rel in before if rel not in after)

    hooks.Actions.ENV_SAVED.do = do
    try:
        tutor_env.save(root, full_config)
    finally:
        hooks.Actions.ENV_SAVED.do = original_do
    return extra


def images(full_config):
    from tutor import hooks

    config = RecordingConfig(full_config)
    with READS.inside_python():
        build = [
            {"name": n, "path": p if isinstance(p, str) else list(p), "tag": tag, "args": list(a)}
            for n, p, tag, a in hooks.Filters.IMAGES_BUILD.iterate(config)
        ]
        pull = [{"name": n, "tag": tag} for n, tag in hooks.Filters.IMAGES_PULL.iterate(config)]
        push = [{"name": n, "tag": tag} for n, tag in hooks.Filters.IMAGES_PUSH.iterate(config)]
    return {"build": build, "pull": pull, "push": push}


def init_tasks():
    from tutor import hooks

    return [
        {"service": service, "app": app, "script": script}
        for (service, script), app in iterate_with_contexts(hooks.Filters.CLI_DO_INIT_TASKS)
    ]


def do_commands():
    click, _, _ = tutor_libraries()
    from tutor import hooks

    out = []
    for command in hooks.Filters.CLI_DO_COMMANDS.iterate():
        module = getattr(getattr(command, "callback", None), "__module__", "") or ""
        params = []
        for p in command.params:
            params.append(
                {
                    "name": p.name,
                    "kind": "argument" if isinstance(p, click.Argument) else "option",
                    "opts": list(p.opts),
                    "flag": bool(getattr(p, "is_flag", False)),
                    "required": bool(p.required),
                    "multiple": bool(getattr(p, "multiple", False)),
                    "help": getattr(p, "help", None) or "",
                }
            )
        out.append(
            {
                "name": command.name,
                "help": (command.help or "").strip().split("\n")[0],
                "core": module.startswith("tutor."),
                "module": module,
                "params": params,
            }
        )
    return out


def snapshot(request):
    _, jinja2, _ = tutor_libraries()
    from tutor import __about__, env as tutor_env, hooks

    JINJA_FILTERS.update(jinja2.Environment().filters)
    JINJA_GLOBALS.update(jinja2.Environment().globals)

    user = request.get("user") or {}
    workdir = tempfile.mkdtemp(prefix="tk8s-bridge-")
    try:
        root, tutor_config = setup_tutor(workdir, user)
        memo = Memo()
        static_globals = install_memo(memo)

        # As `tutor config save`: the minimal config is what would be saved; the full one renders the env.
        minimal = tutor_config.load_minimal(root)
        tutor_config.save_config_file(root, minimal)
        full = tutor_config.load_full(root)
        READS.config_keys = set(full)
        extra = run_env_saved(root, full)
        roots, templates = template_table()
        image_table = images(full)
        tasks = init_tasks()

        # Init tasks are rendered when they run: record the calls they make too (mfe's is_mfe_enabled).
        renderer = tutor_env.Renderer(full)
        for task in tasks:
            with contextlib.suppress(Exception):
                renderer.render_str(task["script"])

        filters = {}
        for name, func in hooks.Filters.ENV_TEMPLATE_FILTERS.iterate():
            filters[name] = "native" if name in NATIVE_FILTERS and getattr(func, "__module__", "") == "tutor.utils" else "python"
        callables = sorted(
            name for name, value in hooks.Filters.ENV_TEMPLATE_VARIABLES.iterate() if callable(value)
        )
        return {
            "format": FORMAT,
            "tutor": {
                "version": __about__.__version__,
                "python": sys.executable,
                "templatesRoot": tutor_env.TEMPLATES_ROOT,
            },
            "plugins": {
                "installed": plugin_table(),
                "loaded": sorted(set(hooks.Filters.PLUGINS_LOADED.iterate())),
            },
            "config": config_layers(tutor_config),
            "patches": [
                [name, text, app] for (name, text), app in iterate_with_contexts(hooks.Filters.ENV_PATCHES)
            ],
            "templateRoots": list(roots),
            "targets": [
                [src, dst, app] for (src, dst), app in iterate_with_contexts(hooks.Filters.ENV_TEMPLATE_TARGETS)
            ],
            "patterns": {
                "include": list(hooks.Filters.ENV_PATTERNS_INCLUDE.iterate()),
                "ignore": list(hooks.Filters.ENV_PATTERNS_IGNORE.iterate()),
            },
            "binaryExtensions": list(tutor_env.BIN_FILE_EXTENSIONS),
            "templates": templates,
            "filters": filters,
            "variables": static_globals,
            "callables": callables,
            "memo": memo.export(),
            "envSaved": extra,
            "initTasks": tasks,
            "images": image_table,
            "doCommands": do_commands(),
            "configReads": sorted(READS.keys & set(full)),
            "fingerprint": fingerprint_paths(list(roots)),
            "yamlStyle": yaml_style(),
            "pythonTexts": python_texts(full, memo),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def fingerprint_paths(template_roots):
    """Paths whose change means the snapshot is stale: the interpreter, the
    directories Python imports from (pip adds and removes distributions
    there), the template roots, and the plugins root with its files."""
    from tutor.plugins.base import PLUGINS_ROOT

    paths = [sys.executable]
    here = os.path.dirname(os.path.abspath(__file__))
    paths += [p for p in sys.path if p and os.path.isdir(p) and os.path.abspath(p) != here]
    paths += template_roots
    paths.append(PLUGINS_ROOT)
    if os.path.isdir(PLUGINS_ROOT):
        paths += sorted(os.path.join(PLUGINS_ROOT, n) for n in os.listdir(PLUGINS_ROOT))
    seen = []
    for p in paths:
        p = os.path.abspath(p)
        if p not in seen:
            seen.append(p)
    return seen


def run_do(request, name, args):
    click, _, _ = tutor_libraries()
    from tutor import hooks

    user = request.get("user") or {}
    workdir = tempfile.mkdtemp(prefix="tk8s-bridge-")
    try:
        setup_tutor(workdir, user)
        for command in hooks.Filters.CLI_DO_COMMANDS.iterate():
            if command.name == name:
                break
        else:
            raise BridgeError(f"Tutor has no `do {name}` command")
        callback = getattr(command.callback, "__wrapped__", command.callback)
        try:
            ctx = command.make_context(f"do {name}", list(args), resilient_parsing=False)
        except click.exceptions.ClickException as e:
            raise BridgeError(f"do {name}: {e.format_message()}")
        with ctx:
            result = ctx.invoke(callback, **ctx.params)
            pairs = [[service, script] for service, script in (result or [])]
        return {"format": FORMAT, "command": name, "jobs": pairs}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv):
    if len(argv) < 2 or argv[1] not in ("snapshot", "do"):
        print("usage: tk8s_tutor_bridge.py snapshot | do NAME [ARGS...]  (JSON request on stdin)", file=sys.stderr)
        return 3
    # Only our JSON may reach standard output: Tutor prints status lines, and a plugin may start a program
    # that writes to file descriptor 1. Keep a copy of it for the answer and point 1 at standard error.
    sys.stdout.flush()
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    try:
        request = read_request()
        with contextlib.redirect_stdout(sys.stderr):
            if argv[1] == "snapshot":
                result = snapshot(request)
            else:
                if len(argv) < 3:
                    raise BridgeError("do needs a command name")
                result = run_do(request, argv[2], argv[3:])
    except BridgeError as e:
        print(f"tk8s bridge: {e}", file=sys.stderr)
        return 3
    except Exception as e:  # noqa: BLE001  (anything Tutor or a plugin raised)
        traceback.print_exc(file=sys.stderr)
        print(f"tk8s bridge: Tutor failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 4
    json.dump(result, answer, ensure_ascii=False)
    answer.write("\n")
    answer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
