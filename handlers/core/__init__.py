"""What every capability uses: the chat interface (Message in, effects out), the router and the registry built from
capability declarations, commands and typed arguments, texts, people, the clock and the job port."""
