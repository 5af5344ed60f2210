// Who pressures Iraq (graph)
MATCH (s:Actor)-[r:PRESSURES]->(t:Actor {id: 'iraq'})
RETURN s, r, t;

// Who pressures Iraq (table, strongest first)
MATCH (s:Actor)-[r:PRESSURES]->(:Actor {id: 'iraq'})
RETURN s.name AS actor, s.kind AS kind, r.claims AS claims, r.articles AS articles,
       r.confidence AS confidence, r.first_seen AS first_seen, r.last_seen AS last_seen
ORDER BY confidence DESC, claims DESC, actor;

// Who funds whom, with evidence counts
MATCH (s:Actor)-[r:FUNDS]->(t:Actor)
RETURN s.name AS funder, t.name AS recipient, r.claims AS claims, r.articles AS articles,
       r.confidence AS confidence
ORDER BY claims DESC, confidence DESC, funder, recipient;

// Funding chains (1 to 3 FUNDS hops)
MATCH chain = (s:Actor)-[:FUNDS*1..3]->(t:Actor)
WHERE s <> t
RETURN chain, [actor IN nodes(chain) | actor.name] AS actors, length(chain) AS hops
ORDER BY hops DESC
LIMIT 25;

// Attacks over time (asserted factual ATTACKS claims by month, undated last)
MATCH (s:Actor)<-[:SUBJECT]-(c:Claim {type: 'ATTACKS'})-[:OBJECT]->(t:Actor)
WHERE c.polarity = 'asserted' AND c.modality = 'factual'
RETURN coalesce(substring(toString(c.date), 0, 7), 'undated') AS month, count(c) AS claims,
       collect(DISTINCT s.name + ' -> ' + t.name) AS attacks
ORDER BY month;

// Paths between two actors (Qassem Soleimani and Iraq over analyst edges)
MATCH path = shortestPath(
  (a:Actor {id: 'qassem-soleimani'})-[:PRESSURES|FUNDS|ATTACKS|NEGOTIATES_WITH*..6]-(b:Actor {id: 'iraq'})
)
RETURN path, [actor IN nodes(path) | actor.name] AS actors,
       [edge IN relationships(path) | type(edge)] AS edges;

// The evidence behind an edge (United States ATTACKS Kataib Hezbollah)
MATCH (s:Actor {id: 'united-states'})-[r:ATTACKS]->(t:Actor {id: 'kataib-hezbollah'})
MATCH (s)<-[:SUBJECT]-(c:Claim {type: 'ATTACKS', polarity: 'asserted', modality: 'factual'})-[:OBJECT]->(t)
MATCH (c)-[:STATED_IN]->(a:Article)
RETURN r.claims AS edge_claims, r.confidence AS edge_confidence, c.date AS date,
       c.confidence AS confidence, c.sentence AS sentence, a.title AS article, a.source AS source,
       a.url AS url, c.start AS start, c.end AS end
ORDER BY date, confidence DESC;

// Negated and hypothetical claims (kept, but they back no edge)
MATCH (s:Actor)<-[:SUBJECT]-(c:Claim)-[:OBJECT]->(t:Actor)
WHERE c.polarity = 'negated' OR c.modality = 'hypothetical'
MATCH (c)-[:STATED_IN]->(a:Article)
RETURN s.name AS subject, c.type AS type, t.name AS object, c.polarity AS polarity,
       c.modality AS modality, c.sentence AS sentence, a.title AS article
ORDER BY article, c.start;

// Most mentioned actors
MATCH (a:Article)-[:MENTIONS]->(actor:Actor)
RETURN actor.name AS actor, actor.kind AS kind, count(a) AS articles
ORDER BY articles DESC, actor
LIMIT 15;

// An actor's neighbourhood (Iran and every analyst edge in or out)
MATCH (x:Actor {id: 'iran'})-[r:PRESSURES|FUNDS|ATTACKS|NEGOTIATES_WITH]-(y:Actor)
RETURN x, r, y;
