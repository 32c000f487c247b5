"""Small-group table plans: saved plans, who sits where in each round, and the pins that hold.

`sessions` belongs to the sessions area, so `table_plans.session_id` is a plain integer (no
foreign key): a plan can be made for "everyone on the panel" before any session exists.
"""

from sqlite_utils import Database

from assembly.store.migrations import migration

PIN_KINDS = ("together", "apart", "interpreter")


@migration(280, "tables: table plans, seats and pins")  # not words
def create_tables(db: Database) -> None:
    db.execute(
        """create table table_plans (
            id integer primary key,
            session_id integer,
            title text not null,
            tables integer not null check (tables >= 1),
            rounds integer not null check (rounds >= 1),
            seed integer not null,
            repeat_weight real not null,
            features text not null default '[]',
            pins text not null default '[]',
            people integer not null,
            diversity real not null,
            diversity_l1 real not null,
            repeats integer not null,
            repeat_pairs integer not null,
            iterations integer not null,
            cancelled integer not null default 0,
            created_at text not null
        )"""
    )
    db.execute(
        """create table table_seats (
            plan_id integer not null references table_plans(id) on delete cascade,
            round integer not null check (round >= 1),
            table_no integer not null check (table_no >= 1),
            member_id integer not null references members(id),
            primary key (plan_id, round, member_id)
        )"""
    )
    kinds = ", ".join(f"'{k}'" for k in PIN_KINDS)
    db.execute(
        f"""create table table_pins (
            id integer primary key,
            kind text not null check (kind in ({kinds})),
            member_id integer not null references members(id),
            other_member_id integer references members(id),
            label text,
            created_at text not null,
            check (
                case kind
                    when 'interpreter' then label is not null and other_member_id is null
                    else other_member_id is not null and other_member_id != member_id
                end
            )
        )"""
    )
    db.execute("create index table_seats_member on table_seats(member_id)")


MIGRATIONS = (create_tables,)
