/**
 * Migration 14: the joint picture (docs/decisions/0007, "The joint picture, divergence and the
 * queue"). Per subject its state, divergence score and digest (`picture_subjects`), per field
 * the value arbitration kept and the observation and mesh that supplied it (`picture_fields`),
 * the running picture digest — the sum mod 2^256 of the subject digests — in one row
 * (`picture_sum`), the queue's items (`queue_items`: a divergence held for a person, or a clash
 * between partners' decisions), and the concurrent conflicts arbitration settled below the
 * threshold, with why the winner won (`arbitrations`). All of it is derived from signed content
 * and kept by core/app/reconcile in the transaction of every insert.
 */
import type { Migration } from '../migration.js';

export const migration0014: Migration = {
  version: 14,
  name: 'reconcile',
  up(db) {
    db.exec(`
      CREATE TABLE picture_subjects (
        subject    TEXT PRIMARY KEY,
        state      TEXT NOT NULL CHECK (state IN ('merged', 'held')),
        divergence REAL NOT NULL CHECK (divergence >= 0 AND divergence <= 1),
        digest     TEXT NOT NULL CHECK (length(digest) = 64),
        item       TEXT CHECK (item IS NULL OR length(item) = 64),
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE picture_fields (
        subject     TEXT NOT NULL REFERENCES picture_subjects (subject),
        field       TEXT NOT NULL,
        value       TEXT NOT NULL,
        observation TEXT NOT NULL CHECK (length(observation) = 64),
        mesh        TEXT NOT NULL,
        PRIMARY KEY (subject, field)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE picture_sum (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        digest    TEXT NOT NULL CHECK (length(digest) = 64),
        subjects  INTEGER NOT NULL CHECK (subjects >= 0)
      ) STRICT;

      CREATE TABLE queue_items (
        id            TEXT PRIMARY KEY CHECK (length(id) = 64),
        kind          TEXT NOT NULL CHECK (kind IN ('divergence', 'decision-clash')),
        subject       TEXT NOT NULL,
        -- open: waiting; escalated: a decision passed it up; decided: settled by a decision;
        -- superseded: the competing set changed (a new observation), so a new item took over.
        status        TEXT NOT NULL CHECK (status IN ('open', 'escalated', 'decided', 'superseded')),
        score         REAL NOT NULL,
        competing     TEXT NOT NULL,
        fields        TEXT NOT NULL,
        cause         TEXT NOT NULL CHECK (cause IN ('translation-seam', 'genuine-disagreement', 'suspected-injection', 'decision-clash')),
        reasons       TEXT NOT NULL,
        policy_choice TEXT NOT NULL,
        decision      TEXT CHECK (decision IS NULL OR length(decision) = 64),
        opened_at     TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX queue_items_by_status ON queue_items (status, opened_at);
      CREATE INDEX queue_items_by_subject ON queue_items (subject);

      CREATE TABLE arbitrations (
        subject TEXT NOT NULL,
        field   TEXT NOT NULL,
        winner  TEXT NOT NULL CHECK (length(winner) = 64),
        why     TEXT NOT NULL,
        at      TEXT NOT NULL,
        PRIMARY KEY (subject, field, winner)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
