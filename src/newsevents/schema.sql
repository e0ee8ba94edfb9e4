-- newsevents DuckDB schema: the one place tables are defined.
-- Every row carries a content-derived id; writes replace an article's rows as a whole, so
-- processing the same article twice never duplicates a row.

CREATE TABLE IF NOT EXISTS articles (
    id            VARCHAR PRIMARY KEY,
    source_path   VARCHAR NOT NULL,
    url           VARCHAR,
    source_domain VARCHAR,
    title         VARCHAR,
    published     DATE,
    language      VARCHAR,
    authors       VARCHAR[],
    credits       VARCHAR[],
    duplicate_of  VARCHAR,
    text          VARCHAR NOT NULL,
    n_chars       INTEGER NOT NULL,
    processed_at  TIMESTAMP NOT NULL
);

-- MinHash LSH band keys of each article, to find syndicated copies (newsevents.dedup).
CREATE TABLE IF NOT EXISTS fingerprints (
    article_id  VARCHAR NOT NULL,
    band_key    BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    article_id  VARCHAR NOT NULL,
    id          VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    label       VARCHAR NOT NULL,
    n_mentions  INTEGER NOT NULL,
    PRIMARY KEY (article_id, id)
);

CREATE TABLE IF NOT EXISTS mentions (
    article_id  VARCHAR NOT NULL,
    entity_id   VARCHAR NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    PRIMARY KEY (article_id, "start", "end")
);

CREATE TABLE IF NOT EXISTS statements (
    id                VARCHAR PRIMARY KEY,
    article_id        VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    speaker_text      VARCHAR,
    speaker_start     INTEGER,
    speaker_end       INTEGER,
    speaker_name      VARCHAR,
    speaker_entity_id VARCHAR,
    speaker_role      VARCHAR,
    speaker_affiliation VARCHAR,
    speaker_code      VARCHAR,  -- CAMEO-style actor code of the speaker (RUSGOV)
    cue_text          VARCHAR NOT NULL,
    cue_start         INTEGER NOT NULL,
    cue_end           INTEGER NOT NULL,
    cue_class         VARCHAR,
    content_text      VARCHAR NOT NULL,
    content_start     INTEGER NOT NULL,
    content_end       INTEGER NOT NULL,
    about             VARCHAR,
    continuation_text  VARCHAR,
    continuation_start INTEGER,
    continuation_end   INTEGER,
    date              DATE,
    confidence        DOUBLE  -- the scorer's probability; NULL from the scorer-free rules
);
-- Databases written by earlier versions gain the newer columns (NULL for old rows); a store
-- opened read-only applies these first when a column is missing (Store._outdated reads them).
ALTER TABLE statements ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE statements ADD COLUMN IF NOT EXISTS speaker_code VARCHAR;
-- The speaker's identity across articles (identities.id; newsevents.identities), set at store
-- time over the whole database; NULL for a speaker with no name (an unresolved pronoun).
ALTER TABLE statements ADD COLUMN IF NOT EXISTS speaker_identity VARCHAR;
ALTER TABLE statements ADD COLUMN IF NOT EXISTS speaker_resolved BOOLEAN;
-- The speaker name's group (identities.name_group): names of different groups never share an
-- identity unless the user's known identities join them, so a batch reassigns only its groups.
ALTER TABLE statements ADD COLUMN IF NOT EXISTS speaker_group VARCHAR;

-- One row per person or body that spoke, across articles: canonical name and name variants.
-- Recomputed from the statements (and known_identities) of the name groups each stored batch touches.
CREATE TABLE IF NOT EXISTS identities (
    id          VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,   -- canonical name (the user's, else the most used full name)
    kind        VARCHAR NOT NULL,   -- person | body
    wikidata    VARCHAR,
    variants    VARCHAR[] NOT NULL
);
-- Identities the user supplied (newsevents process --identities FILE): one row a name variant.
CREATE TABLE IF NOT EXISTS known_identities (
    id          VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    wikidata    VARCHAR,
    position    INTEGER NOT NULL    -- the file's order: the first name of an id is canonical
);

CREATE TABLE IF NOT EXISTS events (
    id              VARCHAR PRIMARY KEY,
    article_id      VARCHAR NOT NULL,
    cameo           VARCHAR NOT NULL,
    cameo_root      VARCHAR NOT NULL,
    plover_type     VARCHAR,
    plover_mode     VARCHAR,
    quad_class      INTEGER,
    goldstein       DOUBLE,
    source_text     VARCHAR,
    source_start    INTEGER,
    source_end      INTEGER,
    source_name     VARCHAR,
    source_code     VARCHAR,
    source_country  VARCHAR,
    source_sector   VARCHAR,
    target_text     VARCHAR,
    target_start    INTEGER,
    target_end      INTEGER,
    target_name     VARCHAR,
    target_code     VARCHAR,
    target_country  VARCHAR,
    target_sector   VARCHAR,
    trigger_text    VARCHAR NOT NULL,
    trigger_start   INTEGER NOT NULL,
    trigger_end     INTEGER NOT NULL,
    sentence_start  INTEGER NOT NULL,
    sentence_end    INTEGER NOT NULL,
    date            DATE,
    location_name   VARCHAR,
    location_country VARCHAR,
    location_lat    DOUBLE,
    location_lon    DOUBLE,
    modality        VARCHAR NOT NULL,
    attributed_to   VARCHAR,
    confidence      DOUBLE NOT NULL
);

CREATE TABLE IF NOT EXISTS failures (
    id           VARCHAR PRIMARY KEY,
    input        VARCHAR NOT NULL,
    stage        VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);

-- Cross-article event clusters (newsevents.clusters, rules in data/clusters.toml): the event
-- mentions of one happening across articles. Each event names its cluster; a cluster's row is
-- recomputed whenever a batch adds or replaces one of its mentions.
ALTER TABLE events ADD COLUMN IF NOT EXISTS cluster_id VARCHAR;
CREATE TABLE IF NOT EXISTS event_clusters (
    id              VARCHAR PRIMARY KEY,
    global_id       BIGINT NOT NULL,   -- numeric id, exported as GDELT's GlobalEventID
    family          VARCHAR NOT NULL,  -- PLOVER type, or CAMEO + root when there is none
    source_code     VARCHAR,
    target_code     VARCHAR,
    representative  VARCHAR NOT NULL,  -- the most confident mention (events.id)
    confidence      DOUBLE,            -- the representative's confidence
    first_day       DATE,              -- earliest date a mention gives the happening
    last_day        DATE,
    first_seen      DATE,              -- earliest publication of a report of it
    last_seen       DATE,
    added_at        TIMESTAMP,         -- when newsevents first stored one of its mentions
    n_mentions      INTEGER NOT NULL,  -- every event mention, copies included
    n_articles      INTEGER NOT NULL,  -- articles; a syndicated copy counts as its original
    n_sources       INTEGER NOT NULL   -- outlets (source domains); a copy counts as its original's
);

-- Feeds watched by `newsevents watch` (newsevents.watcher): the validators of the last fetch whose
-- items were all processed, sent back as If-None-Match / If-Modified-Since (304: nothing new).
CREATE TABLE IF NOT EXISTS feeds (
    url            VARCHAR PRIMARY KEY,
    etag           VARCHAR,
    last_modified  VARCHAR,
    checked_at     TIMESTAMP NOT NULL
);
-- Feed items already processed, marked in the same transaction that stores their article (or
-- their failure): an item is fetched and processed once, even across a kill -9.
CREATE TABLE IF NOT EXISTS feed_items (
    feed        VARCHAR NOT NULL,
    item        VARCHAR NOT NULL,   -- the item's guid, else its link
    article_id  VARCHAR,            -- NULL when the item gave no article (a failure row)
    seen_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (feed, item)
);
-- Items of watched feeds whose page could not be fetched: failed attempts so far (the item is
-- given up once they reach the watch_max_attempts setting).
CREATE TABLE IF NOT EXISTS feed_item_attempts (
    feed        VARCHAR NOT NULL,
    item        VARCHAR NOT NULL,
    attempts    INTEGER NOT NULL,
    last_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (feed, item)
);
