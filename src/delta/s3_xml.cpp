// A minimal XML scanner for S3 replies (see s3_xml.hpp).
#include "delta/s3_xml.hpp"

#include <charconv>
#include <functional>

#include "common/civil_time.hpp"

namespace sl::delta {

namespace {

constexpr size_t k_max_depth = 32;

Error xml_error(std::string_view what) {
  return make_error(Errc::parse, "S3 reply: " + std::string(what));
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Character data with its references resolved.
Status append_text(std::string& out, std::string_view raw) {
  size_t i = 0;
  while (i < raw.size()) {
    const size_t amp = raw.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(raw.substr(i));
      break;
    }
    out.append(raw.substr(i, amp - i));
    const size_t semi = raw.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 12) return xml_error("bad entity");
    const std::string_view name = raw.substr(amp + 1, semi - amp - 1);
    if (name == "amp") out += '&';
    else if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "quot") out += '"';
    else if (name == "apos") out += '\'';
    else if (name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      uint32_t cp = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp,
                                       hex ? 16 : 10);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
          cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return xml_error("bad character reference");
      append_utf8(out, cp);
    } else {
      return xml_error("unknown entity");
    }
    i = semi + 1;
  }
  return {};
}

// Walks the document; `on_text(path, text)` for each leaf element's text ("A/B/C"), and
// `on_close(path)` when an element closes.
Status walk(std::string_view xml,
            const std::function<void(std::string_view, const std::string&)>& on_text,
            const std::function<void(std::string_view)>& on_close) {
  std::string path;
  std::vector<size_t> marks;  // path length before each open element
  std::string text;
  size_t i = 0;
  bool root_seen = false;
  while (i < xml.size()) {
    const size_t lt = xml.find('<', i);
    if (lt == std::string_view::npos) {
      if (!marks.empty()) return xml_error("unclosed element");
      break;
    }
    if (!marks.empty()) SL_TRY(append_text(text, xml.substr(i, lt - i)));
    std::string_view rest = xml.substr(lt);
    if (rest.starts_with("<?")) {
      const size_t end = rest.find("?>");
      if (end == std::string_view::npos) return xml_error("unterminated declaration");
      i = lt + end + 2;
    } else if (rest.starts_with("<!--")) {
      const size_t end = rest.find("-->");
      if (end == std::string_view::npos) return xml_error("unterminated comment");
      i = lt + end + 3;
    } else if (rest.starts_with("<![CDATA[")) {
      const size_t end = rest.find("]]>");
      if (end == std::string_view::npos || marks.empty()) return xml_error("bad CDATA");
      text.append(rest.substr(9, end - 9));
      i = lt + end + 3;
    } else if (rest.starts_with("<!")) {
      const size_t end = rest.find('>');
      if (end == std::string_view::npos) return xml_error("unterminated declaration");
      i = lt + end + 1;
    } else {
      const size_t gt = rest.find('>');
      if (gt == std::string_view::npos) return xml_error("unterminated tag");
      std::string_view tag = rest.substr(1, gt - 1);
      i = lt + gt + 1;
      if (tag.starts_with('/')) {
        std::string_view name = tag.substr(1);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t' || name.back() == '\n' ||
                                 name.back() == '\r'))
          name.remove_suffix(1);
        if (marks.empty()) return xml_error("unexpected closing tag");
        const std::string_view open = std::string_view(path).substr(
            marks.back() == 0 ? 0 : marks.back() + 1);
        if (open != name) return xml_error("mismatched closing tag");
        on_text(path, text);
        on_close(path);
        text.clear();
        path.resize(marks.back());
        marks.pop_back();
        continue;
      }
      const bool self_closing = tag.ends_with('/');
      if (self_closing) tag.remove_suffix(1);
      const size_t name_end = tag.find_first_of(" \t\r\n");
      const std::string_view name = tag.substr(0, name_end);
      if (name.empty()) return xml_error("empty tag name");
      if (marks.empty() && root_seen) return xml_error("more than one root element");
      if (marks.size() >= k_max_depth) return xml_error("nested too deeply");
      root_seen = true;
      text.clear();
      marks.push_back(path.size());
      if (!path.empty()) path += '/';
      path.append(name);
      if (self_closing) {
        on_text(path, text);
        on_close(path);
        path.resize(marks.back());
        marks.pop_back();
      }
    }
  }
  if (!marks.empty()) return xml_error("unclosed element");
  if (!root_seen) return xml_error("no element");
  return {};
}

Result<uint64_t> parse_size(const std::string& text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return xml_error("bad Size '" + text.substr(0, 32) + "'");
  return v;
}

}  // namespace

Result<int64_t> parse_s3_time(std::string_view text) {
  auto micros = parse_timestamp(text);
  if (!micros) return xml_error("bad time '" + std::string(text.substr(0, 40)) + "'");
  return floor_div(*micros, 1000);
}

Result<S3ListPage> parse_list_objects_v2(std::string_view xml) {
  S3ListPage page;
  S3Object current;
  std::optional<Error> bad;
  bool is_list = false;
  auto status = walk(
      xml,
      [&](std::string_view path, const std::string& text) {
        if (path == "ListBucketResult") is_list = true;
        if (bad) return;
        if (path == "ListBucketResult/IsTruncated") {
          page.truncated = text == "true";
        } else if (path == "ListBucketResult/NextContinuationToken") {
          page.next_continuation_token = text;
        } else if (path == "ListBucketResult/Contents/Key") {
          current.key = text;
        } else if (path == "ListBucketResult/Contents/Size") {
          auto size = parse_size(text);
          if (!size) bad = size.error();
          else current.size = *size;
        } else if (path == "ListBucketResult/Contents/LastModified") {
          auto t = parse_s3_time(text);
          if (!t) bad = t.error();
          else current.modification_time_ms = *t;
        } else if (path == "ListBucketResult/CommonPrefixes/Prefix") {
          page.prefixes.push_back(text);
        }
      },
      [&](std::string_view path) {
        if (path == "ListBucketResult/Contents") {
          if (current.key.empty() && !bad) bad = xml_error("<Contents> without a <Key>");
          page.objects.push_back(std::move(current));
          current = S3Object{};
        }
      });
  if (!status) return status.error();
  if (bad) return *bad;
  if (!is_list) return xml_error("not a ListBucketResult");
  if (page.truncated && page.next_continuation_token.empty())
    return xml_error("truncated listing without a NextContinuationToken");
  return page;
}

Result<std::string> parse_initiate_multipart(std::string_view xml) {
  std::string id;
  SL_TRY(walk(
      xml,
      [&](std::string_view path, const std::string& text) {
        if (path == "InitiateMultipartUploadResult/UploadId") id = text;
      },
      [](std::string_view) {}));
  if (id.empty()) return xml_error("no UploadId in the InitiateMultipartUploadResult");
  return id;
}

S3ErrorReply parse_s3_error(std::string_view xml) {
  S3ErrorReply reply;
  auto status = walk(
      xml,
      [&](std::string_view path, const std::string& text) {
        if (path == "Error/Code") reply.code = text.substr(0, 128);
        else if (path == "Error/Message") reply.message = text.substr(0, 512);
      },
      [](std::string_view) {});
  if (!status) return {};
  return reply;
}

}  // namespace sl::delta
