-- Lists over several kinds at once (MoySklad's assortment) page in insertion order across
-- the kinds: this index walks a scope in `seq` order, so the first page stops after its
-- rows instead of sorting every document of the kinds.
CREATE INDEX documents_by_scope ON documents (account, dialect, seq);
