-- A mix of searches: tool names, typos, aliases, filters, authority names, browsing.
-- PREFIX is the endpoint (the engine API or the SQL baseline).
local prefix = os.getenv("PREFIX") or "/api/v1/search"
local queries = {
  "?q=glpi",
  "?q=libre%20ofice",
  "?q=nexcloud&kind=commune",
  "?q=cimetiere",
  "?q=teams&region=84",
  "?q=openerp",
  "?q=qgis&sort=population",
  "?q=marseille",
  "?q=zimbra&status=in_use",
  "?q=decidim&departement=13",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", prefix .. queries[(i % #queries) + 1])
end
