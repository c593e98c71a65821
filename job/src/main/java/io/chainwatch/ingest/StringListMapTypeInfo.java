package io.chainwatch.ingest;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * Flink type of a {@code Map<String, List<String>>} POJO field ({@code user.extra}, a slice's template
 * fields). The type extractor cannot see through the nested generic and would fall back to Kryo, which is
 * slow on the hot path and not schema-evolvable in state; this makes it Flink's own map and list serializers.
 */
public final class StringListMapTypeInfo extends TypeInfoFactory<Map<String, List<String>>> {

    @Override
    public TypeInformation<Map<String, List<String>>> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
        return Types.MAP(Types.STRING, Types.LIST(Types.STRING));
    }
}
