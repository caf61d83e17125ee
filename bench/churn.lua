-- Map/list churn: insert 200k string keys, read them back, overwrite them,
-- build a list from the map and sum it.
local n = 200000
local m = {}
local count = 0
for i = 0, n - 1 do
    m["k" .. i] = i
    count = count + 1
end
local sum = 0
for i = 0, n - 1 do
    sum = sum + m["k" .. i]
end
for i = 0, n - 1 do
    local k = "k" .. i
    m[k] = m[k] * 2 + 1
end
local l = {}
for i = 0, n - 1 do
    l[#l + 1] = m["k" .. i] % 97
end
local t = 0
for _, x in ipairs(l) do
    t = t + x
end
print(string.format("%d %d %d %d", sum, t, count, #l))
