-- wrk script: POST each line of WRK_DELIVERIES (bench/wrk/deliveries.py: signature TAB timestamp TAB body)
-- to WRK_PATH (default /webhooks/zendesk). Thread k of WRK_THREADS (must equal wrk's -t) takes lines
-- k, k + T, k + 2T, ... and formats its requests once, in init, so that sending one costs wrk a table
-- lookup (the generator's own ceiling, measured against bench/wrk/responder.c, stays far above the
-- servers'). Each line is sent at most once unless a thread runs out; done() then reports how many
-- requests repeated a delivery (answered "duplicate", cheaper than an accepted one: make more lines).
local requests, counter, wraps = {}, 0, 0
local threads, n_threads = {}, 0

setup = function(thread)
  thread:set("tid", n_threads)
  n_threads = n_threads + 1
  threads[#threads + 1] = thread
end

init = function(args)
  local path = os.getenv("WRK_PATH") or "/webhooks/zendesk"
  local step = tonumber(os.getenv("WRK_THREADS") or "2")
  local index = 0
  for line in io.lines(os.getenv("WRK_DELIVERIES") or "deliveries.txt") do
    if index % step == tid then
      local sig, ts, body = line:match("([^\t]+)\t([^\t]+)\t(.*)")
      requests[#requests + 1] = wrk.format("POST", path, {["Content-Type"] = "application/json",
        ["X-Zendesk-Webhook-Signature"] = sig, ["X-Zendesk-Webhook-Signature-Timestamp"] = ts}, body)
    end
    index = index + 1
  end
end

request = function()
  counter = counter + 1
  if counter > #requests then
    counter, wraps = 1, wraps + 1
  end
  if wraps > 0 then repeated = (repeated or 0) + 1 end
  return requests[counter]
end

done = function(summary, latency, requests)
  local repeated = 0
  for _, thread in ipairs(threads) do repeated = repeated + (thread:get("repeated") or 0) end
  io.write(string.format("repeated deliveries: %d\n", repeated))
end
