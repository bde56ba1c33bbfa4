"""The people resolver: how `@someone` in a command becomes a member or a person outside Matrix."""
import pytest

from handlers import i18n
from handlers.core.args import tokenize
from handlers.core.errors import UserError
from handlers.core.interface import Member
from handlers.core.people import is_person_token, mention, mention_list, resolve, resolve_all
from storage.records import Person

BERTRAND = Member("@bertrand:pacte.example", "Bertrand Dupont", 50)
BERTILLE = Member("@bertille:pacte.example", "Bertille")
ANNIE = Member("@annie:pacte.example", "Annie Martin")
MARTINE = Member("@mt:pacte.example", "Martine")
ELOISE = Member("@eloise:pacte.example", "Éloïse")
NODISPLAY = Member("@zoe:autre.example")
MEMBERS = (BERTRAND, BERTILLE, ANNIE, MARTINE, ELOISE, NODISPLAY)


def who(token, members=MEMBERS):
    return resolve(token, members)


@pytest.mark.parametrize("token, expected", [
    ("@bertrand:pacte.example", BERTRAND),  # full user id (a mention pill becomes this)
    ("@bertrand", BERTRAND),  # exact localpart
    ("@BERTRAND", BERTRAND),  # case does not matter
    ("@bertrand,", BERTRAND),  # trailing punctuation as typed after a name
    ("@bertrand:", BERTRAND),  # as clients complete a name at the start of a line
    ("@bertrand:pacte.example,", BERTRAND),
    ("@Martine", MARTINE),  # exact display name beats prefixes
    ("@eloise", ELOISE),  # accents do not matter
    ("@Éloïse", ELOISE),
    ("@zoe", NODISPLAY),
    ('@"Annie Martin"', ANNIE),  # a quoted display name is that member
    ('@"annie  martin"', ANNIE),  # spacing and case do not matter either
    ("@dupont", BERTRAND),  # unique prefix of a word of the display name
    ("@bertr", BERTRAND),  # unique prefix of localpart and display name
    ("@an", ANNIE),
])
def test_members_are_found(token, expected):
    assert who(token) == Person(expected.user_id, expected.label)


def test_exact_localpart_wins_over_display_name_of_someone_else():
    impostor = Member("@x:pacte.example", "bertrand")
    assert who("@bertrand", (BERTRAND, impostor)).user_id == BERTRAND.user_id
    # and exact display name wins over a prefix of someone else's localpart
    assert who("@mart", (Member("@martinez:p.example"), Member("@y:p.example", "Mart"))).user_id == "@y:p.example"


def test_an_outsider_is_named_in_quotes():
    person = who('@"Nicolas Desquinabo"')
    assert person == Person(None, "Nicolas Desquinabo")
    assert not person.is_member


@pytest.mark.parametrize("token", ['@"Alice (@alice:pacte.example)"', '@"alice:pacte.example"', '@"Bob @ home"',
                                   '@"＠annie"'])
def test_an_outsider_cannot_pass_for_a_member(token):
    with pytest.raises(UserError) as exc:
        who(token)
    assert exc.value.key == "people.outsider_like_id"
    assert i18n.t("fr", exc.value.key, **exc.value.values).plain.startswith(
        "Le nom d'une personne hors de Matrix ne peut pas contenir « @ »")


def test_a_quoted_user_id_is_that_user():
    assert who('@"@bertrand:pacte.example"') == Person(BERTRAND.user_id, BERTRAND.label)
    assert who('@"@nobody:pacte.example"') == Person("@nobody:pacte.example", "nobody")


def test_the_tokenizer_keeps_a_quoted_outsider_whole():
    tokens = tokenize('@"Nicolas Desquinabo" @annie relancer')
    assert [resolve(t, MEMBERS).name for t in tokens[:2]] == ["Nicolas Desquinabo", "Annie Martin"]


def test_a_full_user_id_outside_the_room_is_accepted():
    assert who("@gone:pacte.example") == Person("@gone:pacte.example", "gone")


def test_ambiguous_prefix_lists_the_candidates():
    with pytest.raises(UserError) as err:
        who("@bert")
    assert err.value.key == "people.ambiguous"
    text = i18n.t("fr", err.value.key, **err.value.values).plain
    assert text.startswith("Plusieurs membres correspondent à `@bert` :")
    assert "Bertille (@bertille:pacte.example)" in text
    assert "Bertrand Dupont (@bertrand:pacte.example)" in text
    assert "Several members match `@bert`" in i18n.t("en", err.value.key, **err.value.values).plain


def test_two_members_with_the_same_display_name_are_ambiguous():
    twins = (Member("@a:p.example", "Camille"), Member("@b:p.example", "Camille"))
    for token in ("@camille", '@"Camille"'):
        with pytest.raises(UserError) as err:
            resolve(token, twins)
        assert err.value.key == "people.ambiguous"


@pytest.mark.parametrize("token", ["@nobody", "@", '@""', "bertrand", "@nobody:"])
def test_unknown_names_say_how_to_name_an_outsider(token):
    with pytest.raises(UserError) as err:
        who(token)
    assert err.value.key == "people.unknown"
    text = i18n.t("fr", err.value.key, **err.value.values).plain
    assert 'entre guillemets : `@"Prénom Nom"`' in text
    assert 'in quotes: `@"First Last"`' in i18n.t("en", err.value.key, **err.value.values).plain


def test_is_person_token():
    assert is_person_token("@bob") and is_person_token('@"Nicolas D"')
    assert not is_person_token("bob") and not is_person_token("@") and not is_person_token("")


def test_resolve_all_drops_repeats_and_keeps_order():
    people = resolve_all(["@annie", "@bertrand", "@annie:pacte.example", '@"Nic"', '@"nic"'], MEMBERS)
    assert [p.name for p in people] == ["Annie Martin", "Bertrand Dupont", "Nic"]


def test_mention_is_a_pill_for_a_member_and_plain_for_an_outsider():
    m = mention(Person("@annie:pacte.example", "Annie <3"))
    assert m.plain == "Annie <3"
    assert m.html == '<a href="https://matrix.to/#/@annie:pacte.example">Annie &lt;3</a>'
    out = mention(Person(None, "Nico & <b>"))
    assert (out.plain, out.html) == ("Nico & <b>", "Nico &amp; &lt;b&gt;")
    both = mention_list([Person(None, "A"), Person(None, "B")])
    assert both.plain == "A, B"
