"""What delivery is made of, below both the engine (`hub.broker`) and the connectors."""
