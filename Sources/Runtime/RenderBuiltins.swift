import Core
import Lang
import Template

/// `render`: write `<root>/env` from the templates, config and plugins.
enum RenderBuiltins {
    static func register(into r: Registry, _ ctx: RuntimeContext) {
        r.register(Signature("render", "Render the environment into <root>/env (kustomization.yml, k8s/*.yml, app config) in one atomic step; env-custom/ is left alone.",
                             flags: [FlagSpec("refresh", help: "ask the installed Tutor for its plugins again instead of using the cached snapshot")],
                             examples: ["render", "config set LMS_HOST learn.example.com\nrender", "render --refresh"])) { args, _ in
            if args.has("refresh") { ctx.tutor.forceRefresh = true }
            let project = try Files.exists(ctx.root.configFile)
                ? Project.existing(ctx, at: args.span)
                : Project.update(ctx, at: args.span) { _, _ in }
            try render(project, ctx, at: args.span)
            return .string(project.root.env)
        }
    }

    /// Renders `project`'s env. Template errors keep their template position; the interpreter adds the call site.
    /// A Python result missing from a cached Tutor snapshot (new arguments: `MOUNTS` changed, say) makes the
    /// bridge run again, once, and the render start over with what it recorded.
    static func render(_ project: Project, _ ctx: RuntimeContext, at span: Span) throws {
        do {
            try EnvRenderer(project: project).render()
        } catch where TemplateMemo.isMiss(error) {
            guard let entry = project.tutor, !entry.fresh else { throw error }
            ctx.tutor.invalidate(entry)
            try EnvRenderer(project: try Project.load(ctx, user: project.config.user, at: span)).render()
        }
        ctx.status("Environment generated in \(project.root.env)")
    }
}
