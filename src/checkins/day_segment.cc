#include "checkins/day_segment.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "checkins/file_io.h"

namespace cordon::checkins {
namespace {

constexpr char kMagic[8] = {'C', 'R', 'D', 'N', 'D', 'A', 'Y', '1'};
constexpr std::uint32_t kFormat = 1;
constexpr std::size_t kHeaderBytes = 64;

struct Header {
  char magic[8];
  std::uint32_t format;
  std::int32_t day;
  std::uint64_t rows;
  std::uint64_t log_generation;
  std::uint64_t columns_hash;
  std::uint64_t header_hash;  // over the bytes before it
  std::array<std::uint8_t, 16> reserved;
};
static_assert(sizeof(Header) == kHeaderBytes);

std::uint64_t HeaderHash(const Header& h) { return XXH3_64bits(&h, offsetof(Header, header_hash)); }

}  // namespace

Status DaySegment::Write(const std::string& path, Day day, std::uint64_t log_generation,
                         const OwnedColumns& columns) {
  const std::size_t column_bytes = columns.rows() * sizeof(std::uint32_t);
  const std::uint32_t* parts[] = {columns.venue().data(), columns.time().data(),
                                  columns.person().data(), columns.by_person().data()};
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const std::uint32_t* p : parts) {
    XXH3_64bits_update(state, p, column_bytes);
  }
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof(kMagic));
  header.format = kFormat;
  header.day = day;
  header.rows = columns.rows();
  header.log_generation = log_generation;
  header.columns_hash = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  header.header_hash = HeaderHash(header);

  const std::string temp = path + ".part";
  Status written = [&]() -> Status {
    CORDON_ASSIGN_OR_RETURN(File file, File::Create(temp));
    CORDON_RETURN_IF_ERROR(file.WriteAll(&header, sizeof(header)));
    for (const std::uint32_t* p : parts) {
      CORDON_RETURN_IF_ERROR(file.WriteAll(p, column_bytes));
    }
    CORDON_RETURN_IF_ERROR(file.Sync());
    file.Close();
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      return Internal("cannot rename " + temp + ": " + std::strerror(errno));
    }
    return Status::Ok();
  }();
  if (!written.ok()) {
    // A write or sync that failed is not retried (security.md H6): the part file goes, and the
    // rows stay in the open day's log until the next seal.
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    return written;
  }
  return SyncDirectory(std::filesystem::path(path).parent_path().string());
}

Result<std::unique_ptr<DaySegment>> DaySegment::Open(const std::string& path) {
  auto corrupt = [&](const std::string& why) {
    return Internal("check-in segment " + path + " is damaged (" + why +
                    "); move it aside and re-import that day");
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Internal("cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Internal("cannot stat " + path + ": " + std::strerror(errno));
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size < kHeaderBytes) {
    ::close(fd);
    return corrupt("shorter than its header");
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) {
    return Internal("cannot map " + path + ": " + std::strerror(errno));
  }
  std::unique_ptr<DaySegment> seg(new DaySegment());
  seg->path_ = path;
  seg->map_ = map;
  seg->size_ = size;
  Header header{};
  std::memcpy(&header, map, sizeof(header));
  if (std::memcmp(header.magic, kMagic, sizeof(kMagic)) != 0) {
    return corrupt("not a check-in segment");
  }
  if (header.format != kFormat) {
    return corrupt("format " + std::to_string(header.format) + ", expected " +
                   std::to_string(kFormat));
  }
  if (HeaderHash(header) != header.header_hash) {
    return corrupt("header checksum mismatch");
  }
  if (header.rows > (size - kHeaderBytes) / 16 || kHeaderBytes + header.rows * 16 != size) {
    return corrupt("size " + std::to_string(size) + " bytes does not match " +
                   std::to_string(header.rows) + " rows (torn write?)");
  }
  const auto* base = static_cast<const std::uint8_t*>(map) + kHeaderBytes;
  ::madvise(map, size, MADV_WILLNEED);
  if (XXH3_64bits(base, header.rows * 16) != header.columns_hash) {
    return corrupt("column checksum mismatch");
  }
  const auto n = static_cast<std::size_t>(header.rows);
  const auto* words = reinterpret_cast<const std::uint32_t*>(base);
  seg->columns_ = {words, words + n, words + 2 * n, words + 3 * n, n};
  seg->venues_ = VenueDirectory(seg->columns_);
  seg->people_ = PersonDirectory(seg->columns_);
  seg->columns_.venues = &seg->venues_;
  seg->columns_.people = &seg->people_;
  seg->day_ = header.day;
  seg->log_generation_ = header.log_generation;
  // Queries jump around: readahead of neighbouring pages would only evict useful ones.
  ::madvise(map, size, MADV_RANDOM);
  return seg;
}

DaySegment::~DaySegment() {
  if (map_ != nullptr) {
    ::munmap(map_, size_);
  }
}

}  // namespace cordon::checkins
