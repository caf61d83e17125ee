import Lang

/// `render`: write `<root>/env` from the templates, config and plugins.
enum RenderBuiltins {
    static func register(into r: Registry, _ ctx: RuntimeContext) {
        r.register(Signature("render", "Render the environment into <root>/env (kustomization.yml, k8s/*.yml, app config) in one atomic step; env-custom/ is left alone.",
                             examples: ["render", "config set LMS_HOST learn.example.com\nrender"])) { args, _ in
            let project = try Files.exists(ctx.root.configFile)
                ? Project.existing(ctx, at: args.span)
                : Project.update(ctx, at: args.span) { _, _ in }
            try render(project, ctx, at: args.span)
            return .string(project.root.env)
        }
    }

    /// Renders `project`'s env. Template errors keep their template position; the interpreter adds the call site.
    static func render(_ project: Project, _ ctx: RuntimeContext, at span: Span) throws {
        try EnvRenderer(project: project).render()
        ctx.status("Environment generated in \(project.root.env)")
    }
}
