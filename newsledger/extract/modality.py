"""Is an event reported as having happened, or is it negated, hypothetical, planned or asked?

Read off the dependency parse around the trigger token: negation children, modal auxiliaries,
governing verbs of planning or failing, if-clauses and question marks.

>>> # "Russia did not attack Ukraine."  -> modality_of(attack) == "negated"
>>> # "Russia will meet Ukraine."       -> modality_of(meet) == "future"
"""
from __future__ import annotations

from spacy.tokens import Token

ASSERTED, NEGATED, HYPOTHETICAL, FUTURE, QUESTION = (
    "asserted", "negated", "hypothetical", "future", "question")

FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should", "'d", "must"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
# adverbs and determiners that deny the act: "seldom criticised China", "no talks were held"
NEGATING_WORDS = {"never", "no", "seldom", "rarely", "hardly", "scarcely"}
# Governing verbs that make their to-infinitive complement unreal.
PLAN_VERBS = {"plan", "intend", "expect", "schedule", "prepare", "aim", "hope", "want", "wish",
              "seek", "try", "attempt", "consider", "go", "set", "due", "likely", "propose",
              "mull", "weigh", "vow", "promise", "pledge", "threaten", "agree", "offer", "decide",
              "ready", "willing", "able", "require", "need"}
# "capable of launching attacks", "the capacity to strike": what could be done
ABILITY_WORDS = {"capable", "incapable", "capability", "capacity", "ability"}
# A decision taken ("decided to lift", "voted to expel") is coded as the act it decides on.
DECIDE_VERBS = {"decide", "vote", "resolve", "opt", "choose", "elect"}
# Verbs whose that-clause (or the parser's ccomp for a gerund) is wished for, not done.
WISH_VERBS = {"require", "need", "want", "wish", "hope"}
# "would be punished for the strike", "will retaliate after the attack": those happened
PAST_CAUSES = {"for", "over", "after", "since", "following", "because"}
HALT_NOUNS = {"pause", "halt", "suspension", "freeze", "cessation", "cutoff", "moratorium",
              "withdrawal", "lack", "absence"}
FAIL_VERBS = {"fail", "refuse", "decline", "avoid", "stop", "cease", "reject", "deny"}
# What these verbs take as object did not happen ("cancelled the talks")
CANCEL_VERBS = {"cancel", "scrap", "abort", "scuttle", "axe", "nix"}
# Verbs of saying: "would say that X attacked" may still report a fact, and what they report
# can be the speaker's judgement ("Biden said Putin is responsible")
SAYING_VERBS = {"say", "tell", "report", "announce", "confirm", "claim", "state", "add", "note",
                "explain", "insist", "argue", "warn", "allege", "acknowledge", "admit", "believe",
                "write", "declare", "charge", "maintain", "assert"}
# Contacts that took place and what is said in them: the purpose of a past call is its content
CONTACT_VERBS = {"speak", "call", "phone", "telephone", "talk", "meet", "visit", "write", "receive",
                 "host", "summon"}
SPOKEN_ACTS = {"convey", "express", "offer", "extend", "discuss", "deliver", "voice", "reiterate",
               "thank", "congratulate", "urge", "ask", "press", "protest", "condemn", "pledge",
               "assure", "reaffirm", "raise", "praise", "demand", "apologise", "apologize"}
UNREAL_MODIFIERS = {"planned", "proposed", "possible", "potential", "upcoming", "future",
                    "expected", "prospective", "scheduled", "hypothetical", "would-be"}
CONDITIONAL_MARKS = {"if", "unless", "whether"}
GENERIC_PRONOUNS = {"anyone", "anybody", "whoever", "anything", "everyone", "those"}


def own_modality(tok: Token) -> str | None:
    """Modality marked directly on one token (its auxiliaries, negation, modifiers)."""
    if any(c.dep_ == "neg" or (c.dep_ in ("advmod", "det", "preconj")
                               and c.lower_ in NEGATING_WORDS) for c in tok.children):
        return NEGATED  # before the auxiliaries: "will not attack" is no threat
    if any(c.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            d.dep_ == "det" and d.lower_ == "no" for d in c.children) for c in tok.children):
        return NEGATED  # "no agreement was reached", "sent no troops"
    for c in tok.children:
        low = c.lower_
        if c.dep_ == "aux":
            if low in FUTURE_AUX:
                return FUTURE
            if low in HYPOTHETICAL_AUX:
                return HYPOTHETICAL
        if c.dep_ == "mark" and low in CONDITIONAL_MARKS:
            return HYPOTHETICAL
        if c.dep_ in ("amod", "compound") and low in UNREAL_MODIFIERS:
            return FUTURE
        if c.dep_ == "det" and low in ("any", "every"):
            return HYPOTHETICAL  # "any attack would meet a response"
    if tok.dep_ in ("advcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to"
                                            for c in tok.children):
        if said_in_contact(tok):
            return None  # "phoned Erdogan to convey his condolences": said in the call
        return FUTURE  # a purpose: "deployed the army to support police", "rules to ban X"
    if tok.dep_ == "relcl" and tok.head.lower_ in GENERIC_PRONOUNS:
        return HYPOTHETICAL  # "anyone who attacked French nationals would face ..."
    return None


def said_in_contact(tok: Token) -> bool:
    """Is this purpose clause something said in a call or meeting that took place ("spoke to
    Erdogan by phone to offer help", "met the envoy to express support")? Saying it in the
    contact is doing it."""
    head = tok.head
    return tok.dep_ == "advcl" and tok.lemma_.lower() in SPOKEN_ACTS \
        and head.lemma_.lower() in CONTACT_VERBS and head.tag_ in ("VBD", "VBN") \
        and own_modality(head) is None


def modality_of(tok: Token, governors: tuple[Token, ...] = ()) -> str:
    """The modality of an event triggered at ``tok``.

    ``governors`` are extra tokens whose marking also applies (the light verb of a nominal
    trigger: "will hold talks").
    """
    for t in (tok, *governors):
        found = own_modality(t)
        if found:
            return found
        found = inherited(t)
        if found:
            return found
    if in_condition(tok):
        return HYPOTHETICAL
    if tok.sent.text.rstrip().rstrip('"\u201d\'').endswith("?"):
        return QUESTION
    return ASSERTED


def in_condition(tok: Token) -> bool:
    """Is the token anywhere inside an if/unless clause ("could be deported if they are added
    to the lists of prisoners pardoned by the king")?"""
    t = tok
    for _ in range(8):
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS
                                     for c in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def inherited(tok: Token) -> str | None:
    """Modality passed down from governing clauses: "plans to meet", "failed to agree", "if ..."."""
    t = tok
    for _ in range(4):
        head = t.head
        if head.i == t.i:
            return None
        if t.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in CANCEL_VERBS:
            return NEGATED  # "the talks were cancelled": they did not take place
        if t.dep_ == "pcomp" and head.lower_ in ("of", "than") and (
                head.head.lower_ in ("instead", "rather")
                or any(c.lower_ in ("instead", "rather") for c in head.children)):
            return NEGATED  # "instead of calling for an Asian NATO": not done
        if t.dep_ in ("pcomp", "pobj") and head.lower_ == "of" \
                and head.head.lemma_.lower() in ABILITY_WORDS:
            return HYPOTHETICAL  # "hackers capable of launching cyber warfare": could, not did
        if t.dep_ == "pobj" and head.lower_ in ("of", "in", "on") and (
                head.head.lemma_.lower() in HALT_NOUNS
                or (head.i > 0 and head.nbor(-1).lemma_.lower() in HALT_NOUNS)):
            return NEGATED  # "the pause in aid to Ukraine": aid withheld, not given
        if t.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") \
                and head.lower_ not in PAST_CAUSES and will_do(head.head):
            return FUTURE  # "would set out its response at a rally": the rally is to come
        if t.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ == "VERB" \
                and own_modality(head.head) in (FUTURE, HYPOTHETICAL):
            return own_modality(head.head)  # "could escalate by testing its weapons": the means
        if t.dep_ == "ccomp" and head.lemma_.lower() in WISH_VERBS:
            return FUTURE  # "the attacks require the government declaring an emergency"
        if t.dep_ == "ccomp" and head.pos_ == "VERB" and own_modality(head) in (
                FUTURE, HYPOTHETICAL) and head.lemma_.lower() not in SAYING_VERBS \
                and not (t.i < head.i and has_subject(t) and t.tag_ in ("VBD", "VBN", "VBZ")):
            # "would watch closely what NATO deployed"; but a finite clause before its head
            # is a sentence of its own the parser joined across a colon: "The US has issued
            # an ultimatum to Turkey: if ..., sanctions will be imposed"
            return own_modality(head)
        if t.dep_ == "xcomp" or (t.dep_ == "acomp"):
            if head.lemma_.lower() in FAIL_VERBS or (
                    head.lemma_.lower() in ("have", "be")
                    and any(c.dep_ == "advmod" and c.lower_ == "yet" for c in head.children)):
                return NEGATED  # "failed to agree", "has yet to recognise"
            if head.lemma_.lower() in DECIDE_VERBS and head.tag_ in ("VBD", "VBN") \
                    and not own_modality(head):
                return None  # "decided to lift the sanctions": the decision is the act
            if head.lemma_.lower() in PLAN_VERBS:
                return FUTURE
            found = own_modality(head)
            if found:
                return found
        elif t.dep_ == "conj":
            if t.tag_ in ("VBD", "VBZ", "VBP") and head.tag_ in ("VB", "VBG", "VBN"):
                # "said X could keep ... and urged Y", "denies arming them and accuses Y": a
                # finite verb the parser hung on an infinitive or gerund is a clause of its own
                return None
            found = own_modality(head)
            if found in (FUTURE, HYPOTHETICAL, NEGATED) and not has_subject(t):
                return found
        elif t.dep_ == "advcl":
            return HYPOTHETICAL if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS
                                       for c in t.children) else None
        else:
            return None
        t = head
    return None


def will_do(verb: Token) -> bool:
    """A plain future ("will/would hold"), not a guess about the past ("may have been
    involved in the killing") nor an ability ("could count on France's support")."""
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return bool(auxes & (FUTURE_AUX | {"would"})) and not auxes & {"have", "has", "had", "'ve"}


def has_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
