// SharedText: immutable text that shares ownership of the bytes it views.
//
// For text cut out of a large buffer many times over (the `add.stats` of every file of a Delta
// checkpoint: 100k views into one decoded 51 MB column): each value is a view plus a share of
// the buffer, so nothing is copied or allocated per value, and no view outlives its bytes (a
// copy of the value, of the Add holding it, or of the snapshot holding that, keeps the buffer).
// Text of its own (a commit's JSON, a computed value) is copied once into a buffer of its own.
// Compared and printed by content; converts to std::string_view.
#pragma once

#include <concepts>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace sl {

class SharedText {
 public:
  SharedText() = default;
  // A copy of `text` in a buffer of its own (one allocation, none when empty).
  SharedText(std::string_view text) {  // NOLINT(google-explicit-constructor): text-like
    if (text.empty()) return;
    auto buffer = std::make_shared_for_overwrite<char[]>(text.size());
    std::memcpy(buffer.get(), text.data(), text.size());
    view_ = std::string_view(buffer.get(), text.size());
    owner_ = std::move(buffer);
  }
  SharedText(const std::string& text) : SharedText(std::string_view(text)) {}  // NOLINT
  SharedText(const char* text) : SharedText(std::string_view(text)) {}         // NOLINT
  // A view of bytes that `owner` keeps alive.
  SharedText(std::shared_ptr<const void> owner, std::string_view view)
      : owner_(std::move(owner)), view_(view) {}

  std::string_view view() const { return view_; }
  operator std::string_view() const { return view_; }  // NOLINT(google-explicit-constructor)
  std::string str() const { return std::string(view_); }
  const char* data() const { return view_.data(); }
  size_t size() const { return view_.size(); }
  bool empty() const { return view_.empty(); }

  friend bool operator==(const SharedText& a, const SharedText& b) { return a.view_ == b.view_; }
  // Exact matches for string literals and std::string (else two conversions would compete).
  template <typename T>
    requires std::convertible_to<const T&, std::string_view> &&
             (!std::same_as<T, SharedText>)
  friend bool operator==(const SharedText& a, const T& b) {
    return a.view_ == std::string_view(b);
  }
  friend std::ostream& operator<<(std::ostream& out, const SharedText& text) {
    return out << text.view_;
  }

 private:
  std::shared_ptr<const void> owner_;
  std::string_view view_;
};

}  // namespace sl
