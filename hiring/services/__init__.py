"""Every write of the hiring app, one module per area; import from here."""

__all__: list[str] = []
