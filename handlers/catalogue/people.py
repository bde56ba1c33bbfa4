"""Texts about naming people in commands (handlers/people.py), shared by every capability."""

MESSAGES = {
    "people.ambiguous": {
        "fr": "Plusieurs membres correspondent à <code>{name}</code> : {candidates}. "
        "Précisez avec l'identifiant complet (<code>@nom:serveur</code>) ou une mention.",
        "en": "Several members match <code>{name}</code>: {candidates}. "
        "Be more precise with the full user id (<code>@name:server</code>) or a mention.",
    },
    "people.unknown": {
        "fr": "Je ne trouve personne qui corresponde à <code>{name}</code> dans ce salon. "
        "Pour une personne hors de Matrix, écrivez son nom entre guillemets : "
        "<code>@\"Prénom Nom\"</code>.",
        "en": "I can't find anyone matching <code>{name}</code> in this room. "
        "For someone outside Matrix, write their name in quotes: <code>@\"First Last\"</code>.",
    },
    # An owner named by the id of someone who is not in the room (handlers/people.py, not_in_room).
    "people.not_in_room": {
        "fr": "{name} n'est pas membre du salon : noté comme nom, sans rappel.",
        "en": "{name} is not a member of this room: recorded as a name, without reminders.",
    },
    "people.outsider_like_id": {
        "fr": "Le nom d'une personne hors de Matrix ne peut pas contenir « @ » ni ressembler à un identifiant "
        "Matrix : <code>{name}</code>. Pour un membre du salon, utilisez une mention ou son identifiant "
        "(<code>@nom:serveur</code>).",
        "en": "The name of someone outside Matrix cannot contain “@” nor look like a Matrix id: "
        "<code>{name}</code>. For a member of the room, use a mention or their user id (<code>@name:server</code>).",
    },
}
