"""Every URL pattern of the project, read from the resolver (so a new URL is found without a test)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "<unnamed> route" for a pattern without a name
    route: str  # the whole pattern, for messages
    kwargs: tuple[str, ...]
    namespace: str


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespaces: list[str], converters: tuple[str, ...]):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = [*namespaces, entry.namespace] if entry.namespace else namespaces
                walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    ns,
                    converters + tuple(entry.pattern.regex.groupindex),
                )
            elif isinstance(entry, URLPattern):
                full = prefix + str(entry.pattern)
                namespace = ":".join(namespaces)
                kwargs = converters + tuple(entry.pattern.regex.groupindex)
                name = f"<unnamed> {full}"
                if entry.name:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                routes.append(Route(name=name, route=full, kwargs=kwargs, namespace=namespace))

    walk(get_resolver().url_patterns, "/", [], ())
    seen: dict[str, Route] = {}
    for route in routes:
        seen.setdefault(route.name, route)  # a name reversed by Django resolves to its first pattern
    return list(seen.values())
