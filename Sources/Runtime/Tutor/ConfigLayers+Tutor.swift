import Lang
import OrderedCollections

extension ConfigLayers {
    /// The layers the user's Tutor computed (base.yml, CONFIG_UNIQUE, CONFIG_OVERRIDES,
    /// CONFIG_DEFAULTS after every plugin callback), with its template globals. Plugins'
    /// Python filters and callables answer from the snapshot's memo.
    static func tutor(_ snapshot: TutorSnapshot, fresh: Bool) -> ConfigLayers {
        var layers = ConfigLayers(base: snapshot.base, defaults: snapshot.defaults, globals: snapshot.variables,
                                  forced: snapshot.forcedUser)
        for (name, native) in snapshot.filters where !native {
            layers.filters[name] = { input, args, kwargs in
                try snapshot.memo.result(kind: "filter", name: name, args: [input] + args, kwargs: kwargs, allowVolatile: fresh)
            }
        }
        for name in snapshot.callables {
            layers.functions[name] = { args, kwargs in
                try snapshot.memo.result(kind: "global", name: name, args: args, kwargs: kwargs, allowVolatile: fresh)
            }
        }
        if !snapshot.pythonTexts.isEmpty {
            layers.pythonText = { snapshot.pythonTexts[TemplateMemo.canonicalJSON($0)] }
        }
        return layers
    }
}
