-- Build a large string from 1M short pieces (int formatting + append), print its length.
local parts = {}
for i = 0, 1000000 - 1 do
    parts[#parts + 1] = i .. ","
end
local s = table.concat(parts)
print(#s)
