"""Texts of reminders and follow-ups sent by the scheduler."""

MESSAGES = {
    "followup.late": {
        "fr": "<i>(rappel en retard : Relais était arrêté à l'heure prévue)</i> ",
        "en": "<i>(late reminder: Relais was stopped at the planned time)</i> ",
    },
    "followup.nobody": {"fr": "personne n'en est responsable", "en": "nobody owns it"},
    "followup.due_soon": {
        "fr": "Rappel : l'action <b>#{number}</b> « {text} » ({room}) est à faire pour le {when}.",
        "en": "Reminder: action <b>#{number}</b> “{text}” ({room}) is due {when}.",
    },
    # After a late due-soon reminder: the time actually left before the deadline.
    "followup.time_left": {"fr": " Il reste {delay}.", "en": " {delay} left."},
    "followup.overdue": {
        "fr": "L'action <b>#{number}</b> « {text} » est en retard (échéance : {when}) — {owners}. "
        "<code>{p}action fait {number}</code> si c'est fait, <code>{p}action échéance {number} &lt;date&gt;</code> "
        "pour la repousser.",
        "en": "Action <b>#{number}</b> “{text}” is overdue (due {when}) — {owners}. "
        "<code>{p}action done {number}</code> if it is done, <code>{p}action due {number} &lt;date&gt;</code> "
        "to postpone it.",
    },
    "followup.digest": {
        "fr": "Actions passées en retard dans {room} :{items}",
        "en": "Actions that became overdue in {room}:{items}",
    },
    "followup.digest_line": {
        "fr": "<b>#{number}</b> {text} — {owners} — échéance : {when}",
        "en": "<b>#{number}</b> {text} — {owners} — due {when}",
    },
}
