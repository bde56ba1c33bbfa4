"""Texts of action items (!action), themes (!theme, !themes), their follow-up and edits of !action."""

from handlers.core.catalogue import Catalogue
from handlers.core.texts import MESSAGES as CORE_MESSAGES

MESSAGES = {
    "action.summary": {
        "fr": "crée, liste et suit les actions (qui fait quoi, pour quand)",
        "en": "create, list and follow up actions (who does what, by when)",
    },
    "action.details": {
        "fr": "Exemple : <code>{p}action @bertrand prendre contact avec Nicolas pour fin mai</code>. "
        "Les personnes en tête ou en fin de texte sont les responsables (pilule, <code>@identifiant</code>, "
        "<code>@Nom</code>, ou <code>@\"Nom Prénom\"</code> pour quelqu'un hors de Matrix). Tout le monde peut "
        "créer et clore une action ; la modifier ou l'annuler revient à son créateur, ses responsables et "
        "aux coordinateurs.",
        "en": "Example: <code>{p}action @bertrand contact Nicolas by end of May</code>. "
        "People at the start or end of the text are the owners (pill, <code>@username</code>, <code>@Name</code>, "
        "or <code>@\"First Last\"</code> for someone outside Matrix). Anyone can create and close an action; "
        "editing or cancelling it is for its creator, its owners and coordinators.",
    },
    # The description of each line of `!aide action` (the usage before it comes from the declaration).
    "action.sub.create": {"fr": "enregistre une action", "en": "record an action"},
    "action.sub.list": {
        "fr": "les actions ouvertes par responsable, en retard d'abord ; les filtres se combinent",
        "en": "open actions by owner, overdue first; filters combine",
    },
    "action.sub.show": {"fr": "une action et son historique", "en": "one action with its history"},
    "action.sub.done": {"fr": "marque l'action faite", "en": "mark the action done"},
    "action.sub.reopen": {"fr": "rouvre une action faite ou annulée", "en": "reopen a done or cancelled action"},
    "action.sub.assign": {"fr": "ajoute des responsables", "en": "add owners"},
    "action.sub.unassign": {"fr": "retire des responsables", "en": "remove owners"},
    "action.sub.due": {"fr": "change ou retire l'échéance", "en": "change or clear the deadline"},
    "action.sub.edit": {"fr": "change le texte", "en": "change the text"},
    "action.sub.cancel": {"fr": "annule l'action", "en": "cancel the action"},
    "action.arg.what": {
        "fr": "&lt;quoi&gt; [@personne…] [#thème] [pour|avant|d'ici &lt;date&gt;]",
        "en": "&lt;what&gt; [@person…] [#theme] [by|before|due &lt;date&gt;]",
    },
    "action.arg.filters": {
        "fr": "mes|@personne|retard|faites|toutes|#thème", "en": "mine|@person|overdue|done|all|#theme",
    },
    "action.created": {
        "fr": "Action <b>#{number}</b> enregistrée : {text}<br>Responsables : {owners}<br>Échéance : {due}",
        "en": "Action <b>#{number}</b> recorded: {text}<br>Owners: {owners}<br>Due: {due}",
    },
    "action.meeting_note": {
        "fr": "<i>Liée à la réunion en cours.</i>",
        "en": "<i>Linked to the current meeting.</i>",
    },
    "action.nobody": {"fr": "personne pour l'instant", "en": "nobody yet"},
    "action.no_due": {"fr": "aucune", "en": "none"},
    "action.due_day": {"fr": "{when} (fin de journée)", "en": "{when} (end of day)"},
    "action.empty": {
        "fr": "Il manque le texte de l'action : que faut-il faire ?",
        "en": "The action's text is missing: what needs doing?",
    },
    "action.not_found": {
        "fr": "Il n'y a pas d'action #{number} dans ce salon. <code>{p}action liste toutes</code> les montre toutes.",
        "en": "There is no action #{number} in this room. <code>{p}action list all</code> shows them all.",
    },
    "action.refused": {
        "fr": "Seuls le créateur de l'action #{number}, ses responsables et les coordinateurs peuvent la "
        "modifier ou l'annuler.",
        "en": "Only the creator of action #{number}, its owners and coordinators can edit or cancel it.",
    },
    "action.done": {"fr": "Action #{number} faite : {text} — bravo !", "en": "Action #{number} done: {text} — well done!"},
    "action.already_done": {"fr": "L'action #{number} est déjà faite.", "en": "Action #{number} is already done."},
    "action.reopened": {"fr": "Action #{number} rouverte : {text}", "en": "Action #{number} reopened: {text}"},
    "action.already_open": {"fr": "L'action #{number} est déjà ouverte.", "en": "Action #{number} is already open."},
    "action.cancelled": {"fr": "Action #{number} annulée : {text}", "en": "Action #{number} cancelled: {text}"},
    "action.already_cancelled": {
        "fr": "L'action #{number} est déjà annulée.", "en": "Action #{number} is already cancelled.",
    },
    "action.is_cancelled": {
        "fr": "L'action #{number} est annulée ; rouvrez-la d'abord avec <code>{p}action rouvrir {number}</code>.",
        "en": "Action #{number} is cancelled; reopen it first with <code>{p}action reopen {number}</code>.",
    },
    "action.assigned": {
        "fr": "Action #{number} : responsables {owners}.", "en": "Action #{number}: owners {owners}.",
    },
    "action.not_an_owner": {
        "fr": "{name} n'est pas responsable de l'action #{number}.",
        "en": "{name} is not an owner of action #{number}.",
    },
    "action.due_set": {"fr": "Action #{number} : échéance {due}.", "en": "Action #{number}: due {due}."},
    "action.edited": {"fr": "Action #{number} modifiée : {text}", "en": "Action #{number} edited: {text}"},
    # Length cap (handlers/core/text.py MAX_TEXT_CHARS).
    "action.too_long": {
        "fr": "Ce texte fait {length} caractères ; une action en contient au plus {max}. "
        "Raccourcissez-le ou mettez le détail dans un lien.",
        "en": "This text is {length} characters long; an action holds at most {max}. "
        "Shorten it or put the details in a link.",
    },
    # --- lists
    "action.list.open": {"fr": "<b>Actions ouvertes</b><br>", "en": "<b>Open actions</b><br>"},
    "action.list.filtered": {"fr": "<b>Actions</b> ({filters})<br>", "en": "<b>Actions</b> ({filters})<br>"},
    "action.list.empty": {
        "fr": "Aucune action ne correspond. Créez-en une avec <code>{p}action &lt;quoi&gt;</code>.",
        "en": "No action matches. Create one with <code>{p}action &lt;what&gt;</code>.",
    },
    "action.list.unassigned": {"fr": "Sans responsable", "en": "Unassigned"},
    "action.list.group": {"fr": "<b>{name}</b>{items}", "en": "<b>{name}</b>{items}"},
    "action.list.bad_filter": {
        "fr": "Filtre inconnu : « {value} ». Filtres possibles : <code>mes</code>, <code>@personne</code>, "
        "<code>retard</code>, <code>faites</code>, <code>toutes</code>, <code>#thème</code>.",
        "en": "Unknown filter: “{value}”. Filters: <code>mine</code>, <code>@person</code>, "
        "<code>overdue</code>, <code>done</code>, <code>all</code>, <code>#theme</code>.",
    },
    "action.filter.mine": {"fr": "les miennes", "en": "mine"},
    "action.filter.owner": {"fr": "de {name}", "en": "of {name}"},
    "action.filter.overdue": {"fr": "en retard", "en": "overdue"},
    "action.filter.done": {"fr": "faites", "en": "done"},
    "action.filter.all": {"fr": "toutes", "en": "all"},
    "action.filter.theme": {"fr": "#{name}", "en": "#{name}"},
    "action.line": {"fr": "<b>#{number}</b> {text}{details}", "en": "<b>#{number}</b> {text}{details}"},
    "action.line.owners": {"fr": " — {owners}", "en": " — {owners}"},
    "action.line.due": {"fr": " — pour le {when}", "en": " — due {when}"},
    "action.line.overdue": {"fr": " — <b>en retard</b>", "en": " — <b>overdue</b>"},
    "action.line.status": {"fr": " — {status}", "en": " — {status}"},
    "action.status.open": {"fr": "ouverte", "en": "open"},
    "action.status.done": {"fr": "faite", "en": "done"},
    "action.status.cancelled": {"fr": "annulée", "en": "cancelled"},
    # --- show
    "action.show": {
        "fr": "<b>Action #{number}</b> : {text}<br>État : {status}<br>Responsables : {owners}<br>Échéance : {due}"
        "<br>Thèmes : {themes}<br><b>Historique</b>{history}",
        "en": "<b>Action #{number}</b>: {text}<br>Status: {status}<br>Owners: {owners}<br>Due: {due}"
        "<br>Themes: {themes}<br><b>History</b>{history}",
    },
    "action.no_themes": {"fr": "aucun", "en": "none"},
    "action.history.line": {"fr": "{at} — {who} {what}", "en": "{at} — {who} {what}"},
    "action.history.created": {"fr": "l'a créée", "en": "created it"},
    "action.history.assigned": {"fr": "a changé les responsables : {owners}", "en": "changed the owners: {owners}"},
    "action.history.unassigned": {"fr": "a changé les responsables : {owners}", "en": "changed the owners: {owners}"},
    "action.history.due": {"fr": "a fixé l'échéance : {due}", "en": "set the deadline: {due}"},
    "action.history.edited": {"fr": "a modifié le texte : {text}", "en": "edited the text: {text}"},
    "action.history.done": {"fr": "l'a marquée faite", "en": "marked it done"},
    "action.history.reopened": {"fr": "l'a rouverte", "en": "reopened it"},
    "action.history.cancelled": {"fr": "l'a annulée", "en": "cancelled it"},
    "action.history.other": {"fr": "l'a modifiée ({kind})", "en": "changed it ({kind})"},
    # --- themes
    "theme.summary": {
        "fr": "montre un thème, ou en désigne le référent",
        "en": "show a theme, or set its referent",
    },
    "theme.arg.name": {"fr": "&lt;nom&gt;", "en": "&lt;name&gt;"},
    "theme.arg.referent": {"fr": "référent @personne", "en": "referent @person"},
    "theme.referent_set": {
        "fr": "Thème <b>#{name}</b> : référent {referent}.",
        "en": "Theme <b>#{name}</b>: referent {referent}.",
    },
    "theme.show": {
        "fr": "<b>#{name}</b> — référent : {referent} — {count} action(s) ouverte(s)",
        "en": "<b>#{name}</b> — referent: {referent} — {count} open action(s)",
    },
    "theme.no_referent": {"fr": "aucun", "en": "none"},
    "themes.summary": {
        "fr": "liste les thèmes du salon, leurs référents et leurs actions ouvertes",
        "en": "list the room's themes, their referents and open actions",
    },
    "themes.list": {"fr": "<b>Thèmes</b>{items}", "en": "<b>Themes</b>{items}"},
    "themes.empty": {
        "fr": "Aucun thème pour l'instant. Ajoutez <code>#thème</code> à une action, ou "
        "<code>{p}thème &lt;nom&gt; référent @personne</code>.",
        "en": "No theme yet. Add <code>#theme</code> to an action, or "
        "<code>{p}theme &lt;name&gt; referent @person</code>.",
    },
    # --- where !aide lists these commands
    "help.section.actions": {"fr": "Actions", "en": "Actions"},
    # --- follow-up: reminders before the deadline, the overdue mention, the coordinators' digest
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
    # --- edits and redactions of commands (handlers/actions/edits.py)
    "edit.not_applied": {
        "fr": "Les modifications de commandes ne sont pas prises en compte : envoyez la commande corrigée "
              "dans un nouveau message.",
        "en": "Edits to commands are not applied: send the corrected command as a new message.",
    },
    "edit.action_late": {
        "fr": "Les modifications de commandes ne sont pas prises en compte : utilisez "
              "<code>{p}action modifier {number} …</code>",
        "en": "Edits to commands are not applied: use <code>{p}action edit {number} …</code>",
    },
    "redaction.not_applied": {
        "fr": "Supprimer une commande n'annule pas ce qu'elle a fait : utilisez la commande qui le défait.",
        "en": "Deleting a command does not undo it: use the command that does.",
    },
    "redaction.action_late": {
        "fr": "Supprimer une commande n'annule pas ce qu'elle a fait : utilisez "
              "<code>{p}action annuler {number}</code>",
        "en": "Deleting a command does not undo it: use <code>{p}action cancel {number}</code>",
    },

    # --- the room's reminders before a deadline (a setting: handlers/actions/followup.py)
    "settings.name.action_due": {
        "fr": "Rappels avant l'échéance d'une action", "en": "reminders before an action's deadline",
    },
    "settings.sub.action_due": {
        "fr": "les rappels avant l'échéance d'une action", "en": "the reminders before an action's deadline",
    },
    "settings.show.action_due": {
        "fr": "<br>Rappels avant l'échéance d'une action : {value}",
        "en": "<br>Reminders before an action's deadline: {value}",
    },
}

# What the follow-up jobs say (outside a command): these texts, and the ones every capability shares.
TEXTS = Catalogue(CORE_MESSAGES, MESSAGES)
