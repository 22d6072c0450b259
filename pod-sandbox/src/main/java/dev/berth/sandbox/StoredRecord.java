package dev.berth.sandbox;

/** What {@link RecordStore} needs of a record: its id (the directory name) and its format version. */
public interface StoredRecord {
    String id();

    int version();
}
