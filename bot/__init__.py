"""Matrix transport, configuration, wiring and scheduling for Relais."""
