-- The workload's words sent straight to Meilisearch (MEILI_UID, WORDS: one query text per
-- line, possibly empty), asking for the same facets as Pairs does, with the master key.
local uid = os.getenv("MEILI_UID")
local key = os.getenv("MEILI_MASTER_KEY") or ""
local words = {}
for line in io.lines(os.getenv("WORDS")) do
  words[#words + 1] = line:gsub("%%20", " ")
end
math.randomseed(42)
local i = 0
request = function()
  i = i + 1
  local q = words[(i % #words) + 1]
  local body = '{"q":"' .. q .. '","hitsPerPage":20,"page":1,' ..
    '"facets":["kind","region","departement","population_band","is_member","label_level","tool_categories","tool_statuses"]}'
  return wrk.format("POST", "/indexes/" .. uid .. "/search",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }, body)
end
