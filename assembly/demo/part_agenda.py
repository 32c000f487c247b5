"""Demo part: residents set the agenda, then the assembly votes on its recommendations.

Topics come from members and from the public (paper slips at libraries, an online form), two
duplicates are merged; a dot vote narrows them, members rank the shortlist (Schulze), the
public answer "Which matters more?" online; a timed agenda is built from the ranking; four
recommendations are voted on (80% to pass), and the passed ones go to the feedback log.
Works without members or sessions (paper voters only, agenda not tied to a session).
"""

from __future__ import annotations

import numpy as np

from assembly.agenda import builder as ab
from assembly.agenda import recommendations as rec
from assembly.agenda import rounds, topics
from assembly.core.clock import FixedClock
from assembly.store import AssemblyFile

ORDER = 35

# title, description, who proposed it (member / resident name / None for anonymous), channel
TOPICS: list[tuple[str, str, str | None, str]] = [
    (
        "Cheaper and more frequent buses",
        "Buses to the high street every 10 minutes",
        "member",
        "live",
    ),
    (
        "Empty shops brought back into use",
        "Pop-ups, community shops, meanwhile uses",
        "Dorothy W.",
        "paper",
    ),
    ("Safer walking and cycling routes", "Crossings, lighting, protected lanes", "member", "live"),
    ("Street trees and shade", "Cooler streets in summer heatwaves", "Kofi A.", "online"),
    ("Rents that local businesses can afford", "", "member", "live"),
    ("Fewer delivery vans at peak times", "Consolidated deliveries, cargo bikes", None, "online"),
    ("Better insulated homes above shops", "Flats over shops are cold and damp", "member", "live"),
    (
        "Public toilets and places to sit",
        "So older and disabled people can stay longer",
        "Mrs Okafor",
        "paper",
    ),
    ("A market that sells local food", "", "member", "live"),
    ("Parking for blue badge holders", "Keep access for disabled shoppers", "Harold P.", "paper"),
    (
        "Youth spaces on the high street",
        "Somewhere warm and safe to go after school",
        "member",
        "live",
    ),
    ("Repair cafés and refill shops", "", "Aisha R.", "online"),
    # duplicates, merged below
    ("More buses, and cheaper", "", "Stan B.", "paper"),
    ("Trees on the high street", "", None, "online"),
]
DUPLICATES = {12: 0, 13: 3}  # index of duplicate -> index of the topic it joins

RECOMMENDATIONS = [
    (
        "Bus every 10 minutes to every high street, daytime, seven days a week",
        "The council should work with TfL to fund more frequent buses on routes serving the "
        "borough's high streets, starting with Marsh Lane and Eastgate.",
        (0.90, 0.05),
    ),
    (
        "A meanwhile-use scheme for every shop empty for six months",
        "Empty units should be offered at low rent to community groups and new local "
        "businesses while a long-term tenant is found.",
        (0.82, 0.10),
    ),
    (
        "Close Hollowfield Central high street to through traffic",
        "Deliveries and blue badge holders keep access at set times.",
        (0.55, 0.35),
    ),
    (
        "Plant 500 street trees on high streets by 2030",
        "Prioritising the hottest streets and the most deprived wards.",
        (0.86, 0.06),
    ),
]


def _panel(db) -> list[tuple[int, int]]:
    """(member id, number) of panel members, if the organiser part drew a panel."""
    return [
        (r[0], r[1])
        for r in db.execute(
            "select id, number from members where status in ('selected', 'invited', 'confirmed') "
            "order by number"
        )
    ]


def _ranking(rng: np.random.Generator, options: list[int], strength: np.ndarray) -> list[int]:
    """A noisy ranking from hidden strengths (Plackett–Luce style), best first."""
    noise = rng.gumbel(size=len(options))
    order = np.argsort(-(np.log(strength) + noise))
    return [options[i] for i in order]


def build(assembly: AssemblyFile, rng: np.random.Generator, clock: FixedClock) -> None:
    db = assembly.db()
    panel = _panel(db)

    # --- topics: proposed over two weeks ---------------------------------------------------
    ids: list[int] = []
    for n, (title, description, who, channel) in enumerate(TOPICS):
        if who == "member" and panel:
            member_number = panel[int(rng.integers(len(panel)))][1]
            topic_id = topics.propose_topic(
                db, clock, title, description=description, member_number=member_number
            )
        else:
            topic_id = topics.propose_topic(
                db,
                clock,
                title,
                description=description,
                proposer_name=None if who in (None, "member") else who,
                anonymous=who is None,
                source="live" if channel == "live" else "csv",
                source_ref=None if channel == "live" else f"public submissions ({channel})",
            )
        ids.append(topic_id)
        clock.advance(hours=20 + n)
    for dupe, keep in DUPLICATES.items():
        topics.merge_topics(
            db, clock, ids[keep], [ids[dupe]], note="same topic, merged by facilitator"
        )
    open_ids = [i for n, i in enumerate(ids) if n not in DUPLICATES]
    strength = np.array([3.0, 2.4, 2.0, 1.8, 1.5, 0.8, 1.2, 1.3, 0.9, 0.7, 1.1, 0.6])

    # --- round 1: dot voting, members in the room plus a paper tally from drop-ins -------------
    clock.advance(days=3)
    dots = rounds.open_round(
        db,
        clock,
        method="dot",
        tie_rule="earliest",
        title="Long list: dots (members and drop-in sessions)",
        topic_ids=open_ids,
        dots_per_voter=3,
    )
    voters = panel or [(None, n) for n in range(1, 31)]
    share = strength / strength.sum()
    for member_id, number in voters:
        picks = rng.choice(len(open_ids), size=3, p=share)
        ballot: dict[int, int] = {}
        for p in picks:
            ballot[open_ids[p]] = ballot.get(open_ids[p], 0) + 1
        rounds.record_ballot(
            db,
            clock,
            dots,
            ballot,
            voter=f"member {number}" if member_id else f"paper {number}",
            member_id=member_id,
        )
        clock.advance(seconds=20)
    papers = 64
    totals = rng.multinomial(papers * 3, share)
    rounds.record_tally(
        db, clock, dots, {t: int(v) for t, v in zip(open_ids, totals, strict=True)}, papers=papers
    )
    dot_result = rounds.close_round(db, clock, dots)
    shortlist = [int(t) for t in dot_result.order[:6]]

    # --- round 2: members rank the shortlist (Schulze) -----------------------------------------
    clock.advance(minutes=30)
    ranked = rounds.open_round(
        db,
        clock,
        method="schulze",
        tie_rule="lot",
        title="Shortlist: members rank the top six",
        topic_ids=shortlist,
        rng=rng,
    )
    short_strength = np.array([strength[open_ids.index(t)] for t in shortlist])
    for member_id, number in voters:
        rounds.record_ballot(
            db,
            clock,
            ranked,
            _ranking(rng, shortlist, short_strength),
            voter=f"member {number}" if member_id else f"paper {number}",
            member_id=member_id,
        )
        clock.advance(seconds=30)
    rounds.close_round(db, clock, ranked)

    # --- round 3: the public online, "Which matters more?" -------------------------------------
    pairwise = rounds.open_round(
        db,
        clock,
        method="pairwise",
        tie_rule="earliest",
        title="Online: which matters more? (public)",
        topic_ids=shortlist,
    )
    choices: list[tuple[int, int]] = []
    for _ in range(240):
        a, b = (int(x) for x in rng.choice(len(shortlist), size=2, replace=False))
        if rng.random() < 0.06:
            rounds.record_choice(db, clock, pairwise, None, pair=(shortlist[a], shortlist[b]))
            continue
        p_a = short_strength[a] / (short_strength[a] + short_strength[b])
        winner, loser = (a, b) if rng.random() < p_a else (b, a)
        choices.append((shortlist[winner], shortlist[loser]))
        rounds.record_choice(db, clock, pairwise, shortlist[winner], shortlist[loser])
        clock.advance(minutes=7)
    rounds.close_round(db, clock, pairwise)

    # --- a timed agenda from the members' ranking ----------------------------------------------
    sessions = ab.sessions_available(db)
    session_id = None
    minutes = 240
    empty = True
    for sid, _title, planned in sessions:
        items = db.execute(
            "select count(*) from agenda_items where session_id = ?", [sid]
        ).fetchone()[0]
        if session_id is None or (not items and not empty):
            session_id, minutes, empty = sid, planned or 240, not items
    settings = ab.AgendaSettings(session_minutes=minutes)
    proposal = ab.propose_agenda(ab.ranked_topics(db, ranked), settings)
    proposal_id = ab.save_proposal(
        db, clock, proposal, settings, session_id=session_id, round_id=ranked
    )
    # The facilitator swaps the first two topics (each with its evidence or witness slot),
    # leaving breaks where they were; the residents' ranks stay beside the new order.
    groups = ab.blocks(ab.get_proposal(db, proposal_id).items)
    topical = [k for k, g in enumerate(groups) if g[0].topic_id is not None]
    if len(topical) >= 2:
        first, second = topical[:2]
        groups[first], groups[second] = groups[second], groups[first]
        ab.set_order(db, proposal_id, [i.position for g in groups for i in g])
    if session_id is not None and empty:
        # Only an agenda-less session takes it as final; another's planned agenda is kept.
        ab.finalise_proposal(db, clock, proposal_id, session_id)

    # --- recommendations, each vote's rules declared before it opens ---------------------------
    clock.advance(days=20)
    idea_ids = [i for i, _text in rec.ideas_for_drafting(db)]
    voting_members = len(panel) or 36
    quorum = max(1, int(voting_members * 0.75))
    for n, (title, text, (support, oppose)) in enumerate(RECOMMENDATIONS):
        linked = idea_ids[n * 2 : n * 2 + 2]
        rec_id = rec.draft_recommendation(db, clock, title, text, idea_ids=linked)
        vote_id = rec.open_vote(
            db, clock, rec_id, scale="support_oppose_abstain", threshold="80%", quorum=quorum
        )
        present = voting_members - int(rng.integers(0, 4))
        counts = rng.multinomial(present, [support, oppose, 1 - support - oppose])
        rec.record_votes(
            db,
            clock,
            vote_id,
            {c: int(v) for c, v in zip(("support", "oppose", "abstain"), counts, strict=True)},
            note="show of hands, counted by two facilitators",
        )
        rec.close_vote(db, clock, vote_id, actor="Lead facilitator")
        clock.advance(minutes=25)
    clock.advance(days=1)
