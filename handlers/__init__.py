"""Pure command logic: a command, the store and the clock in, effects out. No Matrix types here."""
