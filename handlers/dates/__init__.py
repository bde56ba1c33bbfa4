"""The date and recurrence grammar, in French and English: what people type (`demain 18h`, `tous les lundis`,
`90m`) read into datetimes, rules and durations, and dates written back. No Matrix, no database."""
