-- Replays the search workload (QUERIES: a file of URL queries, one per line, written by
-- `pairs bench-queries`) in a shuffled order fixed by a seed, each wrk thread from its own
-- offset. PREFIX is the endpoint (the engine API or the SQL baseline).
local prefix = os.getenv("PREFIX") or "/api/v1/search"
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if line ~= "" then queries[#queries + 1] = line end
end
math.randomseed(42)
for i = #queries, 2, -1 do
  local j = math.random(i)
  queries[i], queries[j] = queries[j], queries[i]
end
local counter = 0
local i = 0
setup = function(thread)
  counter = counter + 1
  thread:set("i", counter * 997)
end
request = function()
  i = i + 1
  return wrk.format("GET", prefix .. "?" .. queries[(i % #queries) + 1])
end
