import Core
import Lang
import Template

/// `init`, `do JOB`, `launch`: tasks run as Kubernetes Jobs (see `JobRunner`).
enum JobBuiltins {
    /// Tutor's init tasks, in its order: (name for `--limit`, the job's service, the script template). With Tutor
    /// installed they are the ones Tutor and the enabled plugins declare (CLI_DO_INIT_TASKS), else tk8s's own.
    static func initTasks(_ cluster: Cluster) throws -> [(app: String, service: String, script: Template)] {
        if let snapshot = cluster.project.tutor?.snapshot {
            return try snapshot.initTasks.enumerated().map { i, task in
                let app = task.app ?? task.service
                return (app, task.service, try templating { try Template(name: "init task \(i + 1) (\(app))", text: task.script) })
            }
        }
        var tasks: [(String, String, String)] = []
        if cluster.project.enabled.contains(where: { $0.name == "minio" }) {
            tasks.append(("minio", "minio", "plugins/minio/tasks/init.sh"))
        }
        tasks += [("mysql", "mysql", "jobs/init/mysql.sh"), ("meilisearch", "lms", "jobs/init/meilisearch.sh"),
                  ("lms", "lms", "jobs/init/lms.sh"), ("cms", "cms", "jobs/init/cms.sh")]
        return try tasks.map { ($0.0, $0.1, try TemplateLibrary.shared.template($0.2)) }
    }

    static func register(into r: Registry, _ ctx: RuntimeContext) {
        r.register(Signature("init", "Initialise the platform: databases, users, search keys, one Job per task (minio, mysql, meilisearch, lms, cms).",
                             flags: [FlagSpec("limit", short: "l", value: .string, help: "only this task", completion: .choices(["minio", "mysql", "meilisearch", "lms", "cms"]))],
                             examples: ["init", "init --limit mysql"])) { args, _ in
            try initialise(try Cluster.load(ctx, at: args.span), limit: args.optionalString("limit"), at: args.span)
            return .null
        }

        r.describeGroup("do", "Run a one-off task in a Job: create a user, import the demo course, set a theme, run SQL.")
        r.register(Signature("do createuser", "Create an Open edX user (the password is passed to the job as a value, never as code).",
                             params: [Param("name", .string), Param("email", .string)],
                             flags: [FlagSpec("password", short: "p", value: .string, help: "the password; without it the account has none until reset"),
                                     FlagSpec("staff", help: "make a staff user"), FlagSpec("superuser", help: "make a superuser")],
                             examples: ["do createuser --staff --superuser admin admin@example.com --password $password"])) { args, _ in
            var options = ""
            if args.has("superuser") { options += " --superuser" }
            if args.has("staff") { options += " --staff" }
            var env = [("TK8S_USERNAME", args.string("name")), ("TK8S_EMAIL", args.string("email"))]
            var script = "./manage.py lms manage_user\(options) \"$TK8S_USERNAME\" \"$TK8S_EMAIL\"\n"
            if let password = args.optionalString("password") {
                env.append(("TK8S_PASSWORD", password))
                script += """
                    ./manage.py lms shell -c "
                    import os
                    from django.contrib.auth import get_user_model
                    user = get_user_model().objects.get(username=os.environ['TK8S_USERNAME'])
                    user.set_password(os.environ['TK8S_PASSWORD'])
                    user.save()"

                    """
            }
            try runDo(ctx, JobTask(service: "lms", script: script, environment: env), at: args.span)
            return .null
        }

        r.register(Signature("do importdemocourse", "Import Open edX's demo course into Studio.",
                             flags: [FlagSpec("repo", short: "r", value: .string, help: "git repository of the course (default: openedx-demo-course)"),
                                     FlagSpec("repo-dir", short: "d", value: .string, help: "the course's directory in the repository"),
                                     FlagSpec("version", short: "v", value: .string, help: "branch, tag or commit (default: OPENEDX_COMMON_VERSION)")],
                             examples: ["do importdemocourse"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            let version = try args.optionalString("version") ?? cluster.value("OPENEDX_COMMON_VERSION", at: args.span).displayString
            let env = [("TK8S_REPO", args.optionalString("repo") ?? "https://github.com/openedx/openedx-demo-course"),
                       ("TK8S_VERSION", version), ("TK8S_REPO_DIR", args.optionalString("repo-dir") ?? "")]
            let script = """
                git clone "$TK8S_REPO" --branch "$TK8S_VERSION" --depth 1 /tmp/course
                if [ -n "$TK8S_REPO_DIR" ]; then
                    course_root="/tmp/course/$TK8S_REPO_DIR"
                else
                    found="$(find /tmp/course -name course.xml)"
                    count="$(printf '%s\\n' "$found" | grep -c . || true)"
                    if [ "$count" -ne 1 ]; then
                        echo "expected one course.xml in $TK8S_REPO, found $count: give the course's directory with --repo-dir" >&2
                        exit 1
                    fi
                    course_root="$(dirname "$found")"
                fi
                echo "Importing the course in $course_root"
                python ./manage.py cms import ../data "$course_root"

                """
            try runDo(ctx, cluster, JobTask(service: "cms", script: script, environment: env), at: args.span)
            return .null
        }

        r.register(Signature("do settheme", "Use a theme on the LMS and Studio sites (`default` restores the stock theme).",
                             params: [Param("theme", .string)],
                             flags: [FlagSpec("domain", short: "d", value: .string, help: "a site domain (default: LMS and CMS hosts)", repeatable: true)],
                             examples: ["do settheme indigo", "do settheme mytheme --domain learn.example.com"])) { args, _ in
            let cluster = try Cluster.load(ctx, at: args.span)
            var domains = (args.optionalList("domain") ?? []).map(\.displayString)
            if domains.isEmpty {
                let lms = try cluster.value("LMS_HOST", at: args.span).displayString
                let cms = try cluster.value("CMS_HOST", at: args.span).displayString
                domains = [lms, "\(lms):8000", cms, "\(cms):8001"]
            }
            let script = """
                ./manage.py lms shell -c "
                import os
                from django.contrib.sites.models import Site
                theme = os.environ['TK8S_THEME']
                for domain in os.environ['TK8S_DOMAINS'].split():
                    site, _ = Site.objects.get_or_create(domain=domain)
                    if not site.name:
                        site.name = domain[:Site._meta.get_field('name').max_length]
                        site.save()
                    site.themes.all().delete()
                    if theme != 'default':
                        site.themes.create(theme_dir_name=theme)
                    print('Theme', theme, 'set on', domain)"

                """
            try runDo(ctx, cluster, JobTask(service: "lms", script: script,
                                            environment: [("TK8S_THEME", args.string("theme")), ("TK8S_DOMAINS", domains.joined(separator: " "))]),
                      at: args.span)
            return .null
        }

        r.register(Signature("do sqlshell", "Run the mysql client as root in a job, with ARGS passed on (`do sqlshell openedx -e \"show tables\"`).",
                             params: [Param("args", .string, .variadic, help: "mysql client arguments")], passthrough: true,
                             examples: ["do sqlshell openedx -e \"show tables\""])) { args, _ in
            let words = args.optionalList("args")?.map(\.displayString) ?? []
            let script = "mysql --user={{ MYSQL_ROOT_USERNAME }} --password=\"$MYSQL_ROOT_PASSWORD\" --host={{ MYSQL_HOST }} --port={{ MYSQL_PORT }} --default-character-set=utf8mb4 "
                + CommandRunner.shellJoin(words) + "\n"
            let cluster = try Cluster.load(ctx, at: args.span)
            let rendered = try templating { try Template(name: "do sqlshell", text: script).render(cluster.project.config.scope()) }
            let password = try cluster.value("MYSQL_ROOT_PASSWORD", at: args.span).displayString
            try runDo(ctx, cluster, JobTask(service: "lms", script: rendered, environment: [("MYSQL_ROOT_PASSWORD", password)]), at: args.span)
            return .null
        }

        r.registerFallback(Signature("do", "Run any other `do` job Tutor or a plugin declares (importdemolibraries, a plugin's own job…), through the installed Tutor: it gives the job's scripts, tk8s runs them as Jobs.",
                                     params: [Param("job", .string, help: "the job's name, as `tutor k8s do --help` lists it"),
                                              Param("args", .string, .variadic, help: "the job's own arguments and options")],
                                     passthrough: true,
                                     examples: ["do importdemolibraries admin", "do print-edx-platform-setting SITE_NAME --service cms"])) { args, _ in
            let words = args.strings("args")
            let job = args.string("job")
            let cluster = try Cluster.load(ctx, at: args.span)
            guard let installation = try ctx.tutor.installation(), let snapshot = cluster.project.tutor?.snapshot else {
                throw Diagnostic(.unknownSubcommand, "`do` has no job `\(job)` without Tutor", at: args.span,
                                 help: "tk8s's own jobs are createuser, importdemocourse, settheme and sqlshell; Tutor's and its plugins' others run through an installed Tutor ($TK8S_TUTOR)")
            }
            guard snapshot.doCommands.contains(where: { $0.name == job }) else {
                let names = snapshot.doCommands.map(\.name)
                throw Diagnostic(.unknownSubcommand, "neither tk8s nor Tutor has a `do \(job)` job", at: args.span,
                                 help: closestName(to: job, in: names).map { "did you mean `do \($0)`?" } ?? "Tutor's jobs: " + names.joined(separator: ", "))
            }
            let jobs = try TutorBridge(installation: installation, environment: ctx.environment)
                .doJobs(job, arguments: words, user: cluster.project.config.user, root: cluster.project.root.path)
            try cluster.requireEnv(at: args.span)
            try waitForServices(cluster, at: args.span)
            let runner = JobRunner(cluster: cluster)
            for (i, (service, script)) in jobs.enumerated() {
                // Tutor renders a job's script with the config when it runs it.
                let rendered = try templating {
                    try Template(name: "do \(job) (script \(i + 1))", text: script).render(cluster.project.config.scope())
                }
                try runner.run(JobTask(service: service, script: rendered), at: args.span)
            }
            return .null
        }

        r.register(Signature("launch", "Configure and run the platform from scratch: save the config, render, start, wait, init, print the URLs.",
                             flags: [FlagSpec("non-interactive", short: "I", help: "ask nothing (a script never asks)")],
                             examples: ["launch --non-interactive"])) { args, _ in
            let project = try Project.update(ctx, at: args.span) { _, _ in }
            ctx.status("Configuration saved to \(ctx.root.configFile)")
            try RenderBuiltins.render(project, ctx, at: args.span)
            let cluster = try Cluster.load(ctx, at: args.span)
            try ClusterBuiltins.start(cluster, names: [], prune: false, at: args.span)
            try waitForServices(cluster, at: args.span)
            try initialise(cluster, limit: nil, at: args.span)
            let scheme = try cluster.value("ENABLE_HTTPS", at: args.span).isTruthy ? "https" : "http"
            let lms = try cluster.value("LMS_HOST", at: args.span).displayString
            let cms = try cluster.value("CMS_HOST", at: args.span).displayString
            ctx.status("The Open edX platform is running:\n    LMS: \(scheme)://\(lms)\n    Studio: \(scheme)://\(cms)")
            return .map(["lms": .string("\(scheme)://\(lms)"), "cms": .string("\(scheme)://\(cms)")])
        }
    }

    static func initialise(_ cluster: Cluster, limit: String?, at span: Span) throws {
        var tasks = try initTasks(cluster)
        if let limit {
            guard tasks.contains(where: { $0.app == limit }) else {
                throw Diagnostic(.invalidArgument, "no init task `\(limit)`", at: span,
                                 help: closestName(to: limit, in: tasks.map(\.app)).map { "did you mean `\($0)`?" }
                                     ?? "the tasks are " + tasks.map(\.app).joined(separator: ", "))
            }
            tasks = tasks.filter { $0.app == limit }
        }
        var apps: [String] = []
        for task in tasks where !apps.contains(task.app) { apps.append(task.app) }
        cluster.ctx.status("Initialising: " + apps.joined(separator: ", "))
        let runner = JobRunner(cluster: cluster)
        for task in tasks {
            let script = try templating { try task.script.render(cluster.project.config.scope()) }
            try runner.run(JobTask(service: task.service, script: script), at: span)
        }
        cluster.ctx.status("All services initialised.")
    }

    /// What a job needs up first, as Tutor waits: caddy, then the backing services that run in the cluster.
    static func waitForServices(_ cluster: Cluster, at span: Span) throws {
        var names = ["caddy"]
        for (service, flag) in [("meilisearch", "RUN_MEILISEARCH"), ("mysql", "RUN_MYSQL"), ("mongodb", "RUN_MONGODB")]
        where try cluster.value(flag, at: span).isTruthy {
            names.append(service)
        }
        try cluster.ctx.kubectl.runConcurrently(names.map { ClusterBuiltins.waitArguments(cluster, $0) }, redactor: cluster.redactor)
    }

    private static func runDo(_ ctx: RuntimeContext, _ task: JobTask, at span: Span) throws {
        try runDo(ctx, try Cluster.load(ctx, at: span), task, at: span)
    }

    private static func runDo(_ ctx: RuntimeContext, _ cluster: Cluster, _ task: JobTask, at span: Span) throws {
        try cluster.requireEnv(at: span)
        try waitForServices(cluster, at: span)
        try JobRunner(cluster: cluster).run(task, at: span)
    }
}
