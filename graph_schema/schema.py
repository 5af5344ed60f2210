"""Constraints and indexes, applied idempotently before any write."""

from typing import LiteralString

from neo4j import Driver, ManagedTransaction

SCHEMA_STATEMENTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (c:Claim) REQUIRE c.id IS UNIQUE",
    "CREATE CONSTRAINT correction_id IF NOT EXISTS FOR (c:Correction) REQUIRE c.id IS UNIQUE",
    "CREATE FULLTEXT INDEX actor_names IF NOT EXISTS FOR (a:Actor) ON EACH [a.name, a.aliases]"
    " OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
    "CREATE INDEX claim_type IF NOT EXISTS FOR (c:Claim) ON (c.type)",
    "CREATE INDEX article_text_key IF NOT EXISTS FOR (a:Article) ON (a.text_key)",
)


def _apply(tx: ManagedTransaction, statement: LiteralString) -> None:
    tx.run(statement).consume()


def apply_schema(driver: Driver, database: str) -> None:
    """Create every constraint and index that is missing; existing ones are left alone."""
    with driver.session(database=database) as session:
        for statement in SCHEMA_STATEMENTS:
            session.execute_write(_apply, statement)
