"""Operations (INTERFACE 10): deadlines that act, registry governance, complaints, statistics,
early warning and online help. One topic per module; HTTP in `hub.api.routes_operations`."""
