#pragma once
// One stored row of the event log holds the events one command appended (a unit of work's
// DossierWrite::events), so a dossier with 10 events from 6 commands is 6 rows, not 10. The row's
// body is the events' canonical encodings (engine/event_codec.hpp) joined by '\n' (canonical JSON
// never contains a raw newline), compressed:
//   body = 0x01 || raw DEFLATE (RFC 1951) of the joined encodings, with the preset dictionary of
//          format 1 (event_rows.cpp: the keys, kinds and names every encoding repeats).
// Events are short (100-700 bytes) and share their vocabulary, not their text, so the dictionary is
// what makes them compress (about 2.5x; a command's second event, which repeats the first's actor
// and action, compresses further). The audit chain hashes the canonical encodings, never the body:
// compression is storage only, and a future format (another first byte, another dictionary) leaves
// every hash as it was. The dictionary of a format never changes once rows are written with it.
// Pure functions, thread-safe (each thread keeps its own zlib streams).
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"

namespace motcua::store::detail {

inline constexpr unsigned char kEventRowFormat = 0x01;
// What unpack_events accepts at most, joined: a command appends a handful of events, each at most
// engine::kMaxEncodedEventSize (1 MiB).
inline constexpr std::size_t kMaxEventRowSize = std::size_t{16} << 20;

// Errors: kInvalidInput for no encodings, an encoding that is empty or holds '\n', or a joined
// size over kMaxEventRowSize; kInternal when zlib fails.
engine::Result<std::string> pack_events(const std::vector<std::string>& encodings);

// Compresses already joined encodings as they are (the schema 8 upgrade copies old rows, edited
// ones included, with it). Errors: kInternal when zlib fails.
engine::Result<std::string> pack_joined(std::string_view joined);

// Errors: kInternal ("stored event row ... is unreadable") for an unknown format byte, corrupt or
// truncated compressed data, trailing bytes, or more than kMaxEventRowSize once inflated.
engine::Result<std::vector<std::string>> unpack_events(std::string_view body);

// The joined form that pack_events compresses (what engine::ChainRow::encoding holds).
std::string join_events(const std::vector<std::string>& encodings);
std::vector<std::string> split_events(std::string_view joined);

}  // namespace motcua::store::detail
