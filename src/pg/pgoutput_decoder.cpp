// pgoutput decoding: one function per message over a ByteCursor with a sticky error.
#include "pg/pgoutput_decoder.hpp"

#include "common/byte_cursor.hpp"

namespace sl::pg {

namespace {

// A String: bytes up to (not including) the next NUL.
std::string read_string(ByteCursor& in, const char* what) {
  auto rest = in.rest();
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == std::byte{0}) {
      std::string out(reinterpret_cast<const char*>(rest.data()), i);
      in.skip(i + 1);
      return out;
    }
  }
  in.fail(std::string("unterminated string ") + what);
  return {};
}

Lsn read_lsn(ByteCursor& in, const char* what) {
  return Lsn{in.fixed_be<uint64_t>(what)};
}

Tuple read_tuple(ByteCursor& in) {
  Tuple tuple;
  uint16_t n = in.fixed_be<uint16_t>("TupleData.ncols");
  // Each column takes at least one byte: a larger count is corrupt (and must not allocate).
  if (n > in.remaining()) {
    in.fail("TupleData.ncols " + std::to_string(n) + " exceeds the message");
    return tuple;
  }
  tuple.reserve(n);
  for (uint16_t i = 0; i < n && in.ok(); ++i) {
    TupleValue v;
    char kind = static_cast<char>(in.u8("TupleData kind"));
    switch (kind) {
      case 'n':
        v.kind = TupleValue::Kind::null;
        break;
      case 'u':
        v.kind = TupleValue::Kind::unchanged_toast;
        break;
      case 't':
      case 'b': {
        v.kind = kind == 't' ? TupleValue::Kind::text : TupleValue::Kind::binary;
        uint32_t len = in.fixed_be<uint32_t>("TupleData length");
        v.data = std::string(in.string_view(len, "TupleData value"));
        break;
      }
      default:
        if (in.ok()) in.fail(std::string("unknown TupleData kind '") + kind + "'");
    }
    tuple.push_back(std::move(v));
  }
  return tuple;
}

Begin read_begin(ByteCursor& in) {
  Begin m;
  m.final_lsn = read_lsn(in, "Begin.final_lsn");
  m.commit_time = in.fixed_be<int64_t>("Begin.commit_time");
  m.xid = in.fixed_be<uint32_t>("Begin.xid");
  return m;
}

Commit read_commit(ByteCursor& in) {
  Commit m;
  m.flags = in.u8("Commit.flags");
  m.commit_lsn = read_lsn(in, "Commit.commit_lsn");
  m.end_lsn = read_lsn(in, "Commit.end_lsn");
  m.commit_time = in.fixed_be<int64_t>("Commit.commit_time");
  return m;
}

Origin read_origin(ByteCursor& in) {
  Origin m;
  m.commit_lsn = read_lsn(in, "Origin.commit_lsn");
  m.name = read_string(in, "Origin.name");
  return m;
}

Relation read_relation(ByteCursor& in) {
  Relation m;
  m.oid = in.fixed_be<uint32_t>("Relation.oid");
  m.schema = read_string(in, "Relation.namespace");
  if (m.schema.empty()) m.schema = "pg_catalog";
  m.name = read_string(in, "Relation.name");
  m.replica_identity = static_cast<char>(in.u8("Relation.replica_identity"));
  uint16_t n = in.fixed_be<uint16_t>("Relation.ncols");
  if (n > in.remaining()) {
    in.fail("Relation.ncols " + std::to_string(n) + " exceeds the message");
    return m;
  }
  for (uint16_t i = 0; i < n && in.ok(); ++i) {
    RelationColumn c;
    c.is_key = (in.u8("Relation column flags") & 1) != 0;
    c.name = read_string(in, "Relation column name");
    c.type_oid = in.fixed_be<uint32_t>("Relation column type");
    c.type_modifier = in.fixed_be<int32_t>("Relation column typmod");
    m.columns.push_back(std::move(c));
  }
  return m;
}

TypeInfo read_type(ByteCursor& in) {
  TypeInfo m;
  m.oid = in.fixed_be<uint32_t>("Type.oid");
  m.schema = read_string(in, "Type.namespace");
  m.name = read_string(in, "Type.name");
  return m;
}

void expect_tag(ByteCursor& in, char expected, const char* what) {
  char tag = static_cast<char>(in.u8(what));
  if (in.ok() && tag != expected)
    in.fail(std::string(what) + ": expected '" + expected + "', got '" + tag + "'");
}

Insert read_insert(ByteCursor& in) {
  Insert m;
  m.relation_oid = in.fixed_be<uint32_t>("Insert.oid");
  expect_tag(in, 'N', "Insert new-tuple tag");
  m.new_tuple = read_tuple(in);
  return m;
}

Update read_update(ByteCursor& in) {
  Update m;
  m.relation_oid = in.fixed_be<uint32_t>("Update.oid");
  char tag = static_cast<char>(in.u8("Update tuple tag"));
  if (tag == 'K' || tag == 'O') {
    m.old_kind = tag;
    m.old_tuple = read_tuple(in);
    tag = static_cast<char>(in.u8("Update new-tuple tag"));
  }
  if (in.ok() && tag != 'N') in.fail(std::string("Update: expected 'N', got '") + tag + "'");
  m.new_tuple = read_tuple(in);
  return m;
}

Delete read_delete(ByteCursor& in) {
  Delete m;
  m.relation_oid = in.fixed_be<uint32_t>("Delete.oid");
  m.old_kind = static_cast<char>(in.u8("Delete tuple tag"));
  if (in.ok() && m.old_kind != 'K' && m.old_kind != 'O') {
    in.fail(std::string("Delete: expected 'K' or 'O', got '") + m.old_kind + "'");
  }
  m.old_tuple = read_tuple(in);
  return m;
}

Truncate read_truncate(ByteCursor& in) {
  Truncate m;
  uint32_t n = in.fixed_be<uint32_t>("Truncate.nrels");
  m.options = in.u8("Truncate.options");
  if (static_cast<uint64_t>(n) * 4 > in.remaining()) {
    in.fail("Truncate.nrels " + std::to_string(n) + " exceeds the message");
    return m;
  }
  for (uint32_t i = 0; i < n; ++i) m.relation_oids.push_back(in.fixed_be<uint32_t>("Truncate.oid"));
  return m;
}

LogicalMessage read_message(ByteCursor& in) {
  LogicalMessage m;
  m.transactional = (in.u8("Message.flags") & 1) != 0;
  m.lsn = read_lsn(in, "Message.lsn");
  m.prefix = read_string(in, "Message.prefix");
  uint32_t len = in.fixed_be<uint32_t>("Message.length");
  m.content = std::string(in.string_view(len, "Message.content"));
  return m;
}

}  // namespace

Result<PgOutputMessage> decode_pgoutput(std::string_view payload) {
  ByteCursor in(payload);
  char tag = static_cast<char>(in.u8("message tag"));
  PgOutputMessage out;
  switch (static_cast<PgOutputMsg>(tag)) {
    case PgOutputMsg::begin:
      out = read_begin(in);
      break;
    case PgOutputMsg::commit:
      out = read_commit(in);
      break;
    case PgOutputMsg::origin:
      out = read_origin(in);
      break;
    case PgOutputMsg::relation:
      out = read_relation(in);
      break;
    case PgOutputMsg::type:
      out = read_type(in);
      break;
    case PgOutputMsg::insert:
      out = read_insert(in);
      break;
    case PgOutputMsg::update:
      out = read_update(in);
      break;
    case PgOutputMsg::delete_:
      out = read_delete(in);
      break;
    case PgOutputMsg::truncate:
      out = read_truncate(in);
      break;
    case PgOutputMsg::message:
      out = read_message(in);
      break;
    default:
      if (payload.empty()) return make_error(Errc::parse, "pgoutput: empty message");
      return make_error(Errc::parse, std::string("pgoutput: unknown message type '") + tag +
                                         "' (streaming and two-phase "
                                         "messages need protocol options we do not request)");
  }
  if (!in.ok())
    return make_error(Errc::parse, std::string("pgoutput '") + tag + "' message: " + in.error());
  if (!in.at_end()) {
    return make_error(Errc::parse, std::string("pgoutput '") + tag + "' message: " +
                                       std::to_string(in.remaining()) + " trailing bytes");
  }
  return out;
}

}  // namespace sl::pg
