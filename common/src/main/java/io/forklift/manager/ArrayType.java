package io.forklift.manager;

/** The element types of a {@link SharedArray}, with Python's typecodes and the range each holds. */
public enum ArrayType {
    BYTE('b', Byte.MIN_VALUE, Byte.MAX_VALUE),
    SHORT('h', Short.MIN_VALUE, Short.MAX_VALUE),
    INT('i', Integer.MIN_VALUE, Integer.MAX_VALUE),
    LONG('q', Long.MIN_VALUE, Long.MAX_VALUE),
    FLOAT('f', -Float.MAX_VALUE, Float.MAX_VALUE),
    DOUBLE('d', -Double.MAX_VALUE, Double.MAX_VALUE);

    private final char typecode;
    private final double min;
    private final double max;

    ArrayType(char typecode, double min, double max) {
        this.typecode = typecode;
        this.min = min;
        this.max = max;
    }

    /** Python's typecode: {@code 'i'} for INT, {@code 'd'} for DOUBLE… */
    public char typecode() {
        return typecode;
    }

    boolean integral() {
        return this != FLOAT && this != DOUBLE;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** {@code v} as this type's boxed number; {@link IllegalArgumentException} if it does not fit. */
    Number fit(Number v) {
        double d = v.doubleValue();
        if (integral() && (v instanceof Double || v instanceof Float) && d != Math.rint(d))
            throw new IllegalArgumentException(v + " is not a whole number, as '" + typecode + "' elements are");
        if (d < min || d > max) throw new IllegalArgumentException(v + " does not fit a '" + typecode + "' element");
        return switch (this) {
            case BYTE -> v.byteValue();
            case SHORT -> v.shortValue();
            case INT -> v.intValue();
            case LONG -> v.longValue();
            case FLOAT -> v.floatValue();
            case DOUBLE -> v.doubleValue();
        };
    }

    /** The typecode's type: {@code 'i'} is INT. */
    public static ArrayType of(char typecode) {
        for (ArrayType t : values()) {
            if (t.typecode == typecode) return t;
        }
        if (typecode == 'l') return LONG;
        throw new IllegalArgumentException("typecode '" + typecode + "' is not one of b h i l q f d");
    }
}
